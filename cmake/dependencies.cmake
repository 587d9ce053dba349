# Third-party libraries, all from Debian 12 packages (infra/bootstrap installs
# them). Each becomes an imported target named moim::dep::<name> or the
# package's own target.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)

pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(RocksDB REQUIRED)
pkg_check_modules(JWT REQUIRED IMPORTED_TARGET libjwt)
# moimd's allocator: glibc's malloc spent a fifth of moimd's time under
# chat load (many threads allocating small frames and envelopes).
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
