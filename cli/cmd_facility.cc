// tvault facility add|list: the registry that facility testimonies refer to.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/schema.h"

namespace tvault::cli {
namespace {

v1::FacilityType ParseFacilityType(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name == "INFORMAL") name = "INFORMAL_SITE";
  if (name == "OTHER") name = "FACILITY_TYPE_OTHER";
  v1::FacilityType t;
  if (!v1::FacilityType_Parse(name, &t) || t == v1::FACILITY_TYPE_UNSPECIFIED) {
    throw CliError(kExitUsage, "--type: expected reception, asylum, transit, detention, "
                               "informal_site, return_hub, pre_removal_detention or other");
  }
  return t;
}

}  // namespace

void RegisterFacility(CLI::App& app) {
  CLI::App* fac =
      app.add_subcommand("facility", "The facility registry (name, country, type, operated for)");
  fac->require_subcommand(1);

  struct AddOpts {
    StoreFlags store;
    std::string id, name, country, type, from, operator_name;
    std::vector<std::string> operated_for;
  };
  auto add = std::make_shared<AddOpts>();
  CLI::App* add_cmd = fac->add_subcommand(
      "add", "Add a facility (--id --name --country --type), or every facility of a JSON file");
  AddStoreFlags(add_cmd, &add->store);
  add_cmd->add_option("--id", add->id, "Short code, e.g. HR-DET-01");
  add_cmd->add_option("--name", add->name, "Name as commonly used");
  add_cmd->add_option("--country", add->country, "ISO 3166-1 alpha-2 code, e.g. HR");
  add_cmd->add_option("--type", add->type,
                      "reception, asylum, transit, detention, informal_site, return_hub, "
                      "pre_removal_detention or other");
  add_cmd->add_option("--operated-for", add->operated_for,
                      "States or bodies that fund or commission it: ISO codes or EU, e.g. GB "
                      "(repeat or separate with commas)")
      ->delimiter(',');
  add_cmd->add_option("--operator", add->operator_name,
                      "Who runs it, e.g. a ministry or an international organisation");
  add_cmd->add_option("--from", add->from,
                      "JSON lines or array of facilities (`tvault demo-data --facilities`)");
  add_cmd->callback([add]() {
    std::vector<v1::Facility> facilities;
    if (!add->from.empty()) {
      facilities =
          CheckInput(add->from, ParseFacilitiesJson(ReadInputFile(add->from, size_t{64} << 20)));
    } else {
      if (add->id.empty() || add->name.empty() || add->country.empty() || add->type.empty()) {
        throw CliError(kExitUsage, "give --id, --name, --country and --type, or --from FILE");
      }
      v1::Facility f;
      f.set_id(add->id);
      f.set_name(add->name);
      f.set_country(add->country);
      f.set_type(ParseFacilityType(add->type));
      for (const std::string& code : add->operated_for) f.add_operated_for(code);
      f.set_operator_(add->operator_name);
      facilities.push_back(std::move(f));
    }
    StoreRef store = OpenStore(add->store);
    Check(store->AddFacilities(facilities));
    std::cout << "added " << facilities.size() << " facilit"
              << (facilities.size() == 1 ? "y" : "ies") << "\n";
  });

  struct ListOpts {
    StoreFlags store;
    bool json = false;
  };
  auto list = std::make_shared<ListOpts>();
  CLI::App* list_cmd = fac->add_subcommand("list", "List the registry");
  AddStoreFlags(list_cmd, &list->store);
  list_cmd->add_flag("--json", list->json, "One JSON object per line");
  list_cmd->callback([list]() {
    StoreRef store = OpenStoreForReading(list->store);
    for (const v1::Facility& f : Check(store->ListFacilities())) {
      if (list->json) {
        std::cout << MessageToJson(f, false) << "\n";
      } else {
        std::printf("%-12s %-2s %-21s %s", f.id().c_str(), f.country().c_str(),
                    v1::FacilityType_Name(f.type()).c_str(), f.name().c_str());
        std::string for_list;
        for (const std::string& code : f.operated_for()) {
          for_list += (for_list.empty() ? "" : ",") + code;
        }
        if (!for_list.empty()) std::printf(" (for %s)", for_list.c_str());
        std::printf("\n");
      }
    }
  });
}

}  // namespace tvault::cli
