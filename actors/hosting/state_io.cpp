#include "actors/hosting/state_io.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace moim::actors {

namespace {

state_io_actor::behavior_type
state_io(state_io_actor::pointer, std::shared_ptr<infra::state_store> store) {
  return {
    [store](loaded_atom, const load_request& req) {
      load_response out;
      auto snap = store->load(req.where, req.id);
      if (!snap) {
        out.error = snap.err().message;
      } else if (*snap) {
        out.found = true;
        out.snapshot = std::move(**snap);
      }
      return out;
    },
    [store](snapshot_atom, const write_request& req) {
      auto err = store->write(req.where, req.snapshots, req.checkpoint);
      if (err)
        spdlog::error("checkpoint of {} failed: {}", req.where.text(),
                      err->message);
      return !err;
    },
  };
}

} // namespace

state_io_actor spawn_state_io(caf::actor_system& sys,
                              std::shared_ptr<infra::state_store> store) {
  return sys.spawn<caf::detached>(state_io, std::move(store));
}

} // namespace moim::actors
