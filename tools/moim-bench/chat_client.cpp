#include "tools/moim-bench/chat_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <charconv>
#include <deque>
#include <string_view>

namespace moim::bench {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

namespace {

/// The string value after `"key":"` in `frame`, or "".
std::string_view string_after(std::string_view frame, std::string_view key) {
  auto at = frame.find(key);
  if (at == std::string_view::npos)
    return {};
  auto start = at + key.size();
  auto end = frame.find('"', start);
  return end == std::string_view::npos ? std::string_view{}
                                       : frame.substr(start, end - start);
}

std::int64_t number_at(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

} // namespace

struct chat_client::impl {
  impl(net::io_context& ioc, chat_stats& s, int i, std::string r, std::string t)
    : resolver(ioc), ws(ioc), stats(s), id(i), room(std::move(r)),
      token(std::move(t)) {
    // nop
  }

  net::ip::tcp::resolver resolver;
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  websocket::response_type upgrade; ///< the server's answer to the upgrade
  std::deque<std::string> outbox;
  chat_stats& stats;
  int id;
  std::string room;
  std::string token;
  std::uint64_t posted = 0;
  bool open = false;
  bool closed = false;
};

chat_client::chat_client(net::io_context& ioc, chat_stats& stats, int id,
                         std::string room, std::string token)
  : impl_(
    std::make_unique<impl>(ioc, stats, id, std::move(room), std::move(token))) {
  // nop
}

chat_client::~chat_client() = default;

namespace {

void read_loop(const std::shared_ptr<chat_client>& self, chat_client::impl& d);
void write_next(const std::shared_ptr<chat_client>& self, chat_client::impl& d);

void send_text(const std::shared_ptr<chat_client>& self, chat_client::impl& d,
               std::string text) {
  d.outbox.push_back(std::move(text));
  if (d.outbox.size() == 1)
    write_next(self, d);
}

void write_next(const std::shared_ptr<chat_client>& self,
                chat_client::impl& d) {
  d.ws.async_write(net::buffer(d.outbox.front()),
                   [self, &d](beast::error_code ec, std::size_t) {
                     d.outbox.pop_front();
                     if (!ec && !d.outbox.empty())
                       write_next(self, d);
                   });
}

void ended(chat_client::impl& d) {
  if (d.closed)
    return;
  d.closed = true;
  ++d.stats.closed;
  ++d.stats.close_codes[static_cast<int>(d.ws.reason().code)];
}

void on_frame(chat_client::impl& d, std::string_view frame) {
  auto type_at = frame.rfind(R"("type":")");
  auto type = type_at == std::string_view::npos
                ? std::string_view{}
                : string_after(frame.substr(type_at), R"("type":")");
  auto& s = d.stats;
  if (type == "event") {
    auto text = string_after(frame, R"("text":"t)");
    if (text.empty())
      return; // not a message (join, leave, ...)
    if (s.measuring) {
      ++s.delivered;
      s.delivery_latency.add(
        std::chrono::nanoseconds{now_ns() - number_at(text)});
    }
  } else if (type == "ack") {
    auto cmid = string_after(frame, R"("client_message_id":")");
    auto dash = cmid.rfind('-');
    ++s.acked_total;
    if (s.measuring && dash != std::string_view::npos) {
      ++s.acked;
      s.ack_latency.add(
        std::chrono::nanoseconds{now_ns() - number_at(cmid.substr(dash + 1))});
    }
  } else if (type == "subscribed") {
    ++s.subscribed;
  } else if (type == "error") {
    ++s.errors[std::string{string_after(frame, R"("code":")")}];
  }
}

void read_loop(const std::shared_ptr<chat_client>& self, chat_client::impl& d) {
  d.ws.async_read(d.buffer, [self, &d](beast::error_code ec, std::size_t) {
    if (ec) {
      ended(d);
      return;
    }
    auto data = d.buffer.cdata();
    // One frame per line: the server joins frames that queued up.
    std::string_view all{static_cast<const char*>(data.data()), data.size()};
    for (auto nl = all.find('\n'); nl != std::string_view::npos;
         nl = all.find('\n')) {
      on_frame(d, all.substr(0, nl));
      all.remove_prefix(nl + 1);
    }
    on_frame(d, all);
    d.buffer.consume(d.buffer.size());
    read_loop(self, d);
  });
}

} // namespace

void chat_client::start(const std::string& host, const std::string& port) {
  auto self = shared_from_this();
  auto& d = *impl_;
  d.resolver.async_resolve(
    host, port,
    [self, &d, host](beast::error_code ec,
                     net::ip::tcp::resolver::results_type results) {
      if (ec) {
        ended(d);
        return;
      }
      beast::get_lowest_layer(d.ws).async_connect(
        results,
        [self, &d, host](beast::error_code ec2, const net::ip::tcp::endpoint&) {
          if (ec2) {
            ended(d);
            return;
          }
          beast::get_lowest_layer(d.ws).expires_never();
          // Posts go out when made, as a chat client's would.
          beast::error_code ignored;
          beast::get_lowest_layer(d.ws).socket().set_option(
            net::ip::tcp::no_delay(true), ignored);
          d.ws.async_handshake(
            d.upgrade, host, "/v1/ws?token=" + d.token,
            [self, &d](beast::error_code ec3) {
              if (ec3 == websocket::error::upgrade_declined) {
                d.closed = true;
                ++d.stats.refused[static_cast<int>(d.upgrade.result_int())];
                return;
              }
              if (ec3) {
                ended(d);
                return;
              }
              d.open = true;
              ++d.stats.connected;
              send_text(self, d,
                        R"({"type":"subscribe","room":")" + d.room + R"("})");
              read_loop(self, d);
            });
        });
    });
}

void chat_client::post(std::size_t bytes) {
  auto& d = *impl_;
  if (!d.open || d.closed)
    return;
  auto stamp = std::to_string(now_ns());
  std::string text = "t" + stamp + " ";
  if (text.size() < bytes)
    text.append(bytes - text.size(), 'x');
  ++d.stats.sent;
  send_text(shared_from_this(), d,
            R"({"type":"send","room":")" + d.room + R"(","text":")" + text
              + R"(","client_message_id":")" + std::to_string(d.id) + "-"
              + std::to_string(++d.posted) + "-" + stamp + R"("})");
}

bool chat_client::ready() const noexcept {
  return impl_->open && !impl_->closed;
}

void chat_client::close() {
  auto& d = *impl_;
  if (!d.open || d.closed)
    return;
  d.ws.async_close(websocket::close_code::normal,
                   [self = shared_from_this()](beast::error_code) {});
}

} // namespace moim::bench
