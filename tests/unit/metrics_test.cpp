#include "infra/metrics/registry.hpp"

#include <catch2/catch.hpp>

using moim::infra::metrics_registry;

TEST_CASE("metrics: counters and gauges render in Prometheus text format") {
  metrics_registry metrics;
  metrics.get_counter("moim_requests_total", "requests", {{"code", "200"}})
    .add(3);
  metrics.get_counter("moim_requests_total", "requests", {{"code", "200"}})
    .add();
  metrics.add_gauge("moim_answer", "the answer", [] {
    return 42.0;
  });
  auto text = metrics.render();
  CHECK_THAT(text, Catch::Contains("# TYPE moim_requests_total counter\n"));
  CHECK_THAT(text, Catch::Contains("moim_requests_total{code=\"200\"} 4\n"));
  CHECK_THAT(text, Catch::Contains("# HELP moim_answer the answer\n"));
  CHECK_THAT(text, Catch::Contains("moim_answer 42\n"));
}

TEST_CASE("metrics: label values are escaped") {
  CHECK(moim::infra::render_labels({{"a", "x\"y\\z\nw"}})
        == "{a=\"x\\\"y\\\\z\\nw\"}");
}

TEST_CASE("metrics: a gauge set renders the label sets it has each time") {
  metrics_registry metrics;
  int partitions = 2;
  metrics.add_gauge_set("moim_lag", "lag", [&] {
    metrics_registry::samples out;
    for (int p = 0; p < partitions; ++p)
      out.push_back({{{"partition", std::to_string(p)}}, 10.0 * p});
    return out;
  });
  auto text = metrics.render();
  CHECK_THAT(text, Catch::Contains("# TYPE moim_lag gauge\n"));
  CHECK_THAT(text, Catch::Contains("moim_lag{partition=\"0\"} 0\n"));
  CHECK_THAT(text, Catch::Contains("moim_lag{partition=\"1\"} 10\n"));
  partitions = 1; // a partition moved to another node
  CHECK_FALSE(metrics.render().find("partition=\"1\"") != std::string::npos);
}

TEST_CASE("metrics: a histogram renders cumulative buckets, sum and count") {
  metrics_registry metrics;
  auto h = std::make_shared<moim::infra::histogram>(
    std::vector<double>{0.001, 0.01, 0.1});
  for (double v : {0.0005, 0.001, 0.005, 0.05, 0.05, 3.0})
    h->observe(v);
  metrics.add_histogram("moim_wait_seconds", "waits", h, {{"log", "kafka"}});
  auto text = metrics.render();
  CHECK_THAT(text, Catch::Contains("# TYPE moim_wait_seconds histogram\n"));
  // A value equal to a bound counts in that bound's bucket.
  CHECK_THAT(text,
             Catch::Contains(
               "moim_wait_seconds_bucket{le=\"0.001\",log=\"kafka\"} 2\n"));
  CHECK_THAT(
    text,
    Catch::Contains("moim_wait_seconds_bucket{le=\"0.01\",log=\"kafka\"} 3\n"));
  CHECK_THAT(text, Catch::Contains(
                     "moim_wait_seconds_bucket{le=\"0.1\",log=\"kafka\"} 5\n"));
  CHECK_THAT(
    text,
    Catch::Contains("moim_wait_seconds_bucket{le=\"+Inf\",log=\"kafka\"} 6\n"));
  CHECK_THAT(text,
             Catch::Contains("moim_wait_seconds_count{log=\"kafka\"} 6\n"));
  CHECK_THAT(text,
             Catch::Contains("moim_wait_seconds_sum{log=\"kafka\"} 3.1065"));
}
