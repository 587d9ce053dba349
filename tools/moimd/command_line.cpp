#include "tools/moimd/command_line.hpp"

#include "infra/config/config_loader.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <map>

namespace moim::moimd {

startup parse_command_line(int argc, char** argv, char** envp) {
  CLI::App app{"moimd: the Moim server. Every key below can also be set in "
               "the TOML file ([section] key = value) and as MOIM_SECTION_KEY "
               "in the environment; flags win over the environment, which "
               "wins over the file.",
               "moimd"};
  std::string config_file;
  if (auto from_env = std::getenv("MOIM_CONFIG"))
    config_file = from_env;
  app.add_option("-c,--config", config_file,
                 "TOML configuration file (default: $MOIM_CONFIG)");
  app.set_version_flag("--version", std::string{"moimd " MOIM_VERSION});

  std::map<std::string, std::string> flags;
  const settings defaults;
  for (const auto& key : settings_schema().keys()) {
    auto shown = key.show(defaults);
    app.add_option("--" + key.name, flags[key.name],
                   key.help + " [" + infra::env_name_of(key.name)
                     + (shown.empty() ? "" : ", default " + shown) + "]");
  }

  startup result;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    result.exit_code = app.exit(e);
    if (result.exit_code == 0)
      result.exit_code = -1; // --help or --version: stop without error
    return result;
  }

  auto fail = [&result](const infra::config_error& err) {
    std::cerr << "moimd: configuration error: " << err.text() << "\n";
    result.exit_code = 2;
    return result;
  };
  infra::config_loader<settings> loader{settings_schema()};
  if (!config_file.empty())
    if (auto err = loader.apply_toml_file(config_file))
      return fail(*err);
  if (auto err = loader.apply_environment(envp))
    return fail(*err);
  for (const auto& key : settings_schema().keys()) {
    if (app.count("--" + key.name) == 0)
      continue;
    if (auto err = loader.apply(key.name, flags[key.name], "--" + key.name))
      return fail(*err);
  }
  result.settings = loader.values();
  result.warnings = loader.warnings();
  return result;
}

} // namespace moim::moimd
