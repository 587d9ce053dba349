#include "infra/metrics/registry.hpp"
#include "tools/moim-bench/server_histograms.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using moim::bench::read_histogram;
using moim::infra::histogram;
using moim::infra::metrics_registry;

TEST_CASE("bench: moimd's histograms read back from its metrics text") {
  metrics_registry metrics;
  auto a = std::make_shared<histogram>(std::vector<double>{0.01, 0.1});
  auto b = std::make_shared<histogram>(std::vector<double>{0.01, 0.1});
  metrics.add_histogram("moim_x_seconds", "x", a, {{"stage", "produce"}});
  metrics.add_histogram("moim_x_seconds", "x", b, {{"stage", "end"}});
  a->observe(0.005);
  b->observe(0.05);
  auto before = metrics.render();
  a->observe(0.02);
  a->observe(0.03);
  b->observe(5);
  auto after = metrics.render();

  auto all = read_histogram(after, "moim_x_seconds");
  CHECK(all.count == 5);
  REQUIRE(all.bounds.size() == 3);
  CHECK(std::isinf(all.bounds[2]));
  CHECK(all.cumulative == std::vector<double>{1, 4, 5});

  auto produce
    = read_histogram(after, "moim_x_seconds", "stage=\"produce\"")
        .since(read_histogram(before, "moim_x_seconds", "stage=\"produce\""));
  CHECK(produce.count == 2);
  CHECK(produce.mean() == Approx(0.025));
  CHECK(produce.quantile_bound(0.5) == 0.1);

  auto end_window
    = read_histogram(after, "moim_x_seconds", "stage=\"end\"")
        .since(read_histogram(before, "moim_x_seconds", "stage=\"end\""));
  CHECK(end_window.count == 1);
  CHECK(std::isinf(end_window.quantile_bound(0.99)));
  CHECK(read_histogram(after, "moim_absent_seconds").count == 0);
}
