#include "gateway/client_frame.hpp"

#include <catch2/catch.hpp>

using namespace moim::gateway;

namespace {

std::string error_code_of(const std::string& text) {
  auto frame = parse_client_frame(text);
  REQUIRE_FALSE(frame);
  return frame.err().code;
}

} // namespace

TEST_CASE("client frames: each type with its fields") {
  auto sub
    = parse_client_frame(R"({"type":"subscribe","room":"r-1","last_seq":7})");
  REQUIRE(sub);
  auto& s = std::get<subscribe_request>(*sub);
  CHECK(s.room == "r-1");
  CHECK(s.last_seq == 7u);
  auto fresh = parse_client_frame(R"({"type":"subscribe","room":"r-1"})");
  REQUIRE(fresh);
  CHECK_FALSE(std::get<subscribe_request>(*fresh).last_seq);

  auto post = parse_client_frame(
    R"({"type":"send","room":"r","text":"hi","client_message_id":"c"})");
  REQUIRE(post);
  CHECK(std::get<post_request>(*post).text == "hi");
  CHECK(std::get<post_request>(*post).client_message_id == "c");
  CHECK(std::holds_alternative<auth_request>(
    *parse_client_frame(R"({"type":"auth","token":"t"})")));
  CHECK(std::holds_alternative<typing_request>(
    *parse_client_frame(R"({"type":"typing","room":"r"})")));
  CHECK(std::holds_alternative<unsubscribe_request>(
    *parse_client_frame(R"({"type":"unsubscribe","room":"r"})")));
}

TEST_CASE("client frames: what is wrong is named") {
  CHECK(error_code_of("{oops") == "bad_json");
  CHECK(error_code_of("[1,2]") == "bad_json");
  CHECK(error_code_of(R"({"room":"r"})") == "missing_field");
  CHECK(error_code_of(R"({"type":"dance"})") == "unknown_operation");
  CHECK(error_code_of(R"({"type":"subscribe"})") == "missing_field");
  CHECK(error_code_of(R"({"type":"subscribe","room":""})") == "invalid");
  CHECK(error_code_of(R"({"type":"subscribe","room":5})") == "wrong_type");
  CHECK(error_code_of(R"({"type":"subscribe","room":"r","last_seq":-1})")
        == "wrong_type");
  CHECK(error_code_of(R"({"type":"send","room":"r"})") == "missing_field");
  CHECK(error_code_of(R"({"type":"send","room":"r","text":"x",)"
                      R"("client_message_id":7})")
        == "wrong_type");
  CHECK(error_code_of(R"({"type":"subscribe","room":")" + std::string(201, 'r')
                      + "\"}")
        == "invalid");
}
