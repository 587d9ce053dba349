#pragma once

#include <functional>
#include <ostream>
#include <utility>

namespace moim::events {

/// A value with a name of its own: a `room_id` is not a `user_id`, and an
/// offset cannot be passed where a sequence number is expected, although both
/// may hold the same representation. The Tag only tells them apart.
template<class T, class Tag>
class named_type {
public:
  using value_type = T;

  constexpr named_type() = default;
  constexpr explicit named_type(T value) : value_(std::move(value)) {
    // nop
  }

  [[nodiscard]] constexpr const T& value() const noexcept {
    return value_;
  }

  friend constexpr bool operator==(const named_type& x, const named_type& y) {
    return x.value_ == y.value_;
  }
  friend constexpr bool operator!=(const named_type& x, const named_type& y) {
    return x.value_ != y.value_;
  }
  friend constexpr bool operator<(const named_type& x, const named_type& y) {
    return x.value_ < y.value_;
  }
  friend constexpr bool operator<=(const named_type& x, const named_type& y) {
    return x.value_ <= y.value_;
  }
  friend constexpr bool operator>(const named_type& x, const named_type& y) {
    return x.value_ > y.value_;
  }
  friend constexpr bool operator>=(const named_type& x, const named_type& y) {
    return x.value_ >= y.value_;
  }
  friend std::ostream& operator<<(std::ostream& out, const named_type& x) {
    return out << x.value_;
  }

private:
  T value_{};
};

} // namespace moim::events

template<class T, class Tag>
struct std::hash<moim::events::named_type<T, Tag>> {
  size_t operator()(const moim::events::named_type<T, Tag>& x) const noexcept {
    return std::hash<T>{}(x.value());
  }
};
