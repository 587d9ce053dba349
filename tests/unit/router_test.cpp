#include "infra/http/router.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::infra;

namespace {

http_response call(const router& r, std::string method, std::string target) {
  http_request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.split_target();
  http_response out;
  out.status = -1;
  r.dispatch(req, [&out](http_response resp) {
    out = std::move(resp);
  });
  return out;
}

} // namespace

TEST_CASE("router: dispatches by path and method, ignoring the query") {
  router r;
  r.add("GET", "/healthz", [](const http_request& req, reply_fn reply) {
    reply(http_response::text(200, req.query));
  });
  auto resp = call(r, "GET", "/healthz?verbose=1");
  CHECK(resp.status == 200);
  CHECK(resp.body == "verbose=1");
}

TEST_CASE("router: unknown path is 404 and wrong method is 405 with Allow") {
  router r;
  r.add("GET", "/x", [](const http_request&, reply_fn reply) {
    reply(http_response::text(200, "x"));
  });
  auto missing = call(r, "GET", "/y");
  CHECK(missing.status == 404);
  auto doc = nlohmann::json::parse(missing.body);
  CHECK(doc["error"]["code"] == "not_found");
  auto wrong = call(r, "DELETE", "/x");
  CHECK(wrong.status == 405);
  REQUIRE(wrong.headers.size() == 1);
  CHECK(wrong.headers[0].second == "GET");
}

TEST_CASE("router: {name} segments match one segment and reach the handler") {
  router r;
  r.add("POST", "/v1/rooms/{id}/messages",
        [](const http_request& req, reply_fn reply) {
          reply(http_response::text(201, req.param("id")));
        });
  r.add("GET", "/v1/rooms/{id}", [](const http_request& req, reply_fn reply) {
    reply(http_response::text(200, "room " + req.param("id")));
  });
  auto posted = call(r, "POST", "/v1/rooms/r-1/messages");
  CHECK(posted.status == 201);
  CHECK(posted.body == "r-1");
  CHECK(call(r, "GET", "/v1/rooms/r-2").body == "room r-2");
  CHECK(call(r, "GET", "/v1/rooms//messages").status == 404);
  CHECK(call(r, "GET", "/v1/rooms/r-1/messages/x").status == 404);
  CHECK(call(r, "DELETE", "/v1/rooms/r-1/messages").status == 405);
}

TEST_CASE("request: query parameters by name, first one wins") {
  http_request req;
  req.target = "/v1/ws?a=1&token=abc.def&token=zzz&flag&empty=";
  req.split_target();
  CHECK(req.query_param("token") == std::optional<std::string>{"abc.def"});
  CHECK(req.query_param("a") == std::optional<std::string>{"1"});
  CHECK(req.query_param("flag") == std::optional<std::string>{""});
  CHECK(req.query_param("empty") == std::optional<std::string>{""});
  CHECK_FALSE(req.query_param("tok"));
  CHECK_FALSE(req.query_param("missing"));
}
