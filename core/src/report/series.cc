#include "report/series.h"

#include "tvault/report.h"

#include <algorithm>

namespace tvault::report_internal {

using pipeline::CellId;
using pipeline::CellState;
using pipeline::Counts;
using pipeline::PeriodTables;

namespace {

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& r) {
  return {r.begin(), r.end()};
}
void Put(const std::vector<std::string>& from, google::protobuf::RepeatedPtrField<std::string>* to) {
  for (const std::string& s : from) *to->Add() = s;
}

long IndexIn(const google::protobuf::RepeatedPtrField<std::string>& labels,
             const std::string& label) {
  for (int i = 0; i < labels.size(); ++i) {
    if (labels.Get(i) == label) return i;
  }
  return -1;
}

// The counts of table `spec` in the current categories from the ledger's copy `lt` (null: the
// release had no such table, every count was 0). A category the release did not have is 0;
// in a table of shares, a type it did not have was "not reported" by each of its
// `testimonies`.
Counts Expand(const v1::LedgerTable* lt, const pipeline::TableSpec& spec,
              const pipeline::Categories& cats, int64_t testimonies) {
  const std::vector<std::string> rows = pipeline::RowLabels(spec, cats);
  const std::vector<std::string> cols = pipeline::ColumnLabels(spec, cats);
  const bool two_d = spec.dimensions.size() == 2;
  if (rows.empty() || (two_d && cols.empty())) return {};
  Counts c(two_d ? rows.size() : 1, std::vector<int64_t>(two_d ? cols.size() : rows.size(), 0));
  const long old_cols = lt == nullptr ? 0 : lt->columns_size();
  for (size_t r = 0; r < rows.size(); ++r) {
    const long orow = lt == nullptr ? -1 : IndexIn(lt->rows(), rows[r]);
    if (!two_d) {
      if (orow >= 0) c[0][r] = lt->values(static_cast<int>(orow));
      continue;
    }
    for (size_t k = 0; k < cols.size(); ++k) {
      const long ocol = lt == nullptr ? -1 : IndexIn(lt->columns(), cols[k]);
      if (orow >= 0 && ocol >= 0) {
        c[r][k] = lt->values(static_cast<int>(orow * old_cols + ocol));
      } else if (spec.shares && orow < 0 && cols[k] == pipeline::kNotReportedLabel) {
        c[r][k] = testimonies;
      }
    }
  }
  return c;
}

// The state of every cell of `t` (CellsOf order) from the ledger's copy: a cell the release
// did not show is a published 0 (or, in a new row of shares, a published total).
std::vector<CellState> ExpandStates(const v1::LedgerTable* lt, const pipeline::Table& t) {
  std::vector<CellState> out;
  const bool two_d = t.dims.size() == 2;
  auto state_at = [&](long i) {
    return i < 0 || lt == nullptr || i >= lt->states_size() ? CellState::kPublished
                                                             : static_cast<CellState>(lt->states(static_cast<int>(i)));
  };
  const long orows = lt == nullptr ? 0 : lt->rows_size();
  const long ocols = lt == nullptr ? 0 : lt->columns_size();
  const long interior = two_d ? orows * ocols : orows;
  std::vector<long> row_of, col_of;
  for (const std::string& r : t.dims[0]) row_of.push_back(lt == nullptr ? -1 : IndexIn(lt->rows(), r));
  if (two_d) {
    for (const std::string& c : t.dims[1]) col_of.push_back(lt == nullptr ? -1 : IndexIn(lt->columns(), c));
  }
  if (!two_d) {
    for (long r : row_of) out.push_back(state_at(r));
  } else {
    for (long r : row_of) {
      for (long c : col_of) out.push_back(state_at(r >= 0 && c >= 0 ? r * ocols + c : -1));
    }
    for (long r : row_of) out.push_back(state_at(r >= 0 ? interior + r : -1));
    for (long c : col_of) out.push_back(state_at(c >= 0 ? interior + orows + c : -1));
  }
  out.push_back(state_at(lt == nullptr ? -1 : lt->states_size() - 1));
  return out;
}

}  // namespace

pipeline::Categories CategoriesOf(const v1::LedgerCategories& c) {
  pipeline::Categories out;
  out.from = Strings(c.from());
  out.to = Strings(c.to());
  out.nationalities = Strings(c.nationalities());
  out.violence = Strings(c.violence());
  out.perpetrators = Strings(c.perpetrators());
  out.facilities = Strings(c.facilities());
  out.facility_types = Strings(c.facility_types());
  out.conditions = Strings(c.conditions());
  out.severities = Strings(c.severities());
  return out;
}

v1::LedgerCategories LedgerCategoriesOf(const pipeline::Categories& c,
                                        const std::set<std::string>& folded) {
  v1::LedgerCategories out;
  Put(c.from, out.mutable_from());
  Put(c.to, out.mutable_to());
  Put(c.nationalities, out.mutable_nationalities());
  Put(c.violence, out.mutable_violence());
  Put(c.perpetrators, out.mutable_perpetrators());
  Put(c.facilities, out.mutable_facilities());
  Put(c.facility_types, out.mutable_facility_types());
  Put(c.conditions, out.mutable_conditions());
  Put(c.severities, out.mutable_severities());
  Put({folded.begin(), folded.end()}, out.mutable_folded());
  return out;
}

std::string YtdPeriodOf(const std::string& month) { return month.substr(0, 4) + "-01.." + month; }
std::string RevisionPeriod(const std::string& year) { return year + " revision"; }

Result<PeriodTables> AddLinkedPeriod(SeriesStack* stack, const std::string& period,
                                     const std::vector<std::string>& tables,
                                     const std::map<std::string, Counts>& counts,
                                     const pipeline::Categories& cats,
                                     const v1::ReportSettings& settings) {
  TVAULT_ASSIGN_OR_RETURN(
      PeriodTables added,
      pipeline::AddPeriod(stack->set, period, tables, counts, cats, RuleOf(settings.people()),
                          RuleOf(settings.testimonies())));
  for (const auto& [name, t] : added) stack->index[period + "/" + name] = t;
  return added;
}

Status LinkCellwise(SeriesStack* stack, const PeriodTables& target,
                    const std::vector<const PeriodTables*>& parts) {
  for (const auto& [name, t] : target) {
    std::vector<int> sources;
    for (const PeriodTables* p : parts) {
      auto it = p->find(name);
      if (it == p->end()) return Internal("table " + name + " is missing from a linked period");
      sources.push_back(it->second);
    }
    TVAULT_RETURN_IF_ERROR(stack->set.AddCellwiseSum(t, sources));
  }
  return Status::Ok();
}

std::map<std::string, Counts> CountsOf(const SeriesStack& stack, const PeriodTables& period) {
  std::map<std::string, Counts> out;
  for (const auto& [name, index] : period) {
    const pipeline::Table& t = stack.set.tables()[static_cast<size_t>(index)];
    const size_t cols = t.dims.size() == 2 ? t.dims[1].size() : t.dims[0].size();
    Counts c(t.dims.size() == 2 ? t.dims[0].size() : 1, std::vector<int64_t>(cols, 0));
    for (size_t i = 0; i < t.interior.size(); ++i) {
      c[i / cols][i % cols] = stack.set.cells()[static_cast<size_t>(t.interior[i])].value;
    }
    out[name] = std::move(c);
  }
  return out;
}

Result<SeriesStack> StackOfLedger(const std::vector<v1::LedgerRelease>& ledger,
                                  const pipeline::Categories& cats,
                                  const std::vector<std::string>& tables,
                                  const v1::ReportSettings& settings) {
  SeriesStack stack;
  bool first = true;
  for (const v1::LedgerRelease& r : ledger) {
    if (r.kind() != kKindMonthly) continue;  // a revision closes its series: nothing follows
    std::map<std::string, const v1::LedgerTable*> by_name;
    for (const v1::LedgerTable& t : r.tables()) by_name[t.period() + "/" + t.name()] = &t;
    PeriodTables periods[2];
    const std::string names[2] = {r.month(), YtdPeriodOf(r.month())};
    for (int p = 0; p < 2; ++p) {
      auto base = by_name.find(names[p] + "/testimonies_by_route");
      const int64_t testimonies = base == by_name.end() || base->second->values().empty()
                                      ? 0
                                      : base->second->values(base->second->values_size() - 1);
      std::map<std::string, Counts> counts;
      for (const std::string& name : tables) {
        auto it = by_name.find(names[p] + "/" + name);
        counts[name] = Expand(it == by_name.end() ? nullptr : it->second,
                              *pipeline::FindTable(name), cats, testimonies);
      }
      Result<PeriodTables> added = AddLinkedPeriod(&stack, names[p], tables, counts, cats,
                                                   settings);
      if (!added.ok()) {
        return Damaged("the ledger's release of " + r.month() + " does not add up: " +
                       added.status().message());
      }
      periods[p] = std::move(added).value();
      for (const auto& [name, t] : periods[p]) {
        auto it = by_name.find(names[p] + "/" + name);
        const pipeline::Table& table = stack.set.tables()[static_cast<size_t>(t)];
        std::vector<CellState> states =
            ExpandStates(it == by_name.end() ? nullptr : it->second, table);
        const std::vector<CellId> cells = CellsOf(table);
        if (states.size() != cells.size()) return Internal("ledger states do not fit " + name);
        for (size_t i = 0; i < cells.size(); ++i) {
          TVAULT_RETURN_IF_ERROR(stack.set.SetPrior(
              cells[i], states[i] == CellState::kPublished ? pipeline::Prior::kPublishedBefore
                                                           : pipeline::Prior::kSuppressedBefore));
        }
        stack.patterns[names[p] + "/" + name] = std::move(states);
      }
    }
    std::vector<const PeriodTables*> parts = {&periods[0]};
    if (!first) parts.push_back(&stack.last_ytd);
    Status linked = LinkCellwise(&stack, periods[1], parts);
    if (!linked.ok()) {
      return Damaged("the ledger's release of " + r.month() +
                     " is not the sum of the releases before it: " + linked.message());
    }
    stack.last_ytd = periods[1];
    stack.months.push_back(r.month());
    first = false;
  }
  return stack;
}

void AppendLedgerTables(const SeriesStack& stack, const PeriodTables& period,
                        const std::string& period_name, const std::vector<CellState>& pattern,
                        bool hidden, v1::LedgerRelease* out) {
  for (const auto& [name, index] : period) {
    const pipeline::Table& t = stack.set.tables()[static_cast<size_t>(index)];
    v1::LedgerTable* lt = out->add_tables();
    lt->set_period(period_name);
    lt->set_name(name);
    Put(t.dims[0], lt->mutable_rows());
    if (t.dims.size() == 2) Put(t.dims[1], lt->mutable_columns());
    for (CellId c : CellsOf(t)) {
      lt->add_values(stack.set.cells()[static_cast<size_t>(c)].value);
      lt->add_states(static_cast<int>(pattern[static_cast<size_t>(c)]));
    }
    lt->set_hidden(hidden);
  }
}

namespace {

// "<period>/<name>" of every table of the stack, by table index (null when not indexed).
std::vector<const std::string*> TableKeys(const SeriesStack& stack) {
  std::vector<const std::string*> keys(stack.set.tables().size(), nullptr);
  for (const auto& [key, index] : stack.index) keys[static_cast<size_t>(index)] = &key;
  return keys;
}

std::string MoveKey(const std::string& period, const std::string& table,
                    const std::vector<std::string>& labels) {
  std::string k = period + "|" + table;
  for (const std::string& l : labels) k += "|" + l;
  return k;
}

}  // namespace

void AppendCertificates(const SeriesStack& stack, const std::vector<Certificate>& certificates,
                        v1::LedgerRelease* out) {
  const std::vector<const std::string*> keys = TableKeys(stack);
  for (const Certificate& cert : certificates) {
    v1::LedgerCertificate lc;
    for (const auto& [id, delta] : cert) {
      const pipeline::Cell& cell = stack.set.cells()[static_cast<size_t>(id)];
      const std::string* key = keys[static_cast<size_t>(cell.table)];
      if (key == nullptr) break;
      const size_t slash = key->rfind('/');
      v1::LedgerMove* mv = lc.add_moves();
      mv->set_period(key->substr(0, slash));
      mv->set_table(key->substr(slash + 1));
      for (const std::string& l : cell.labels) mv->add_labels(l);
      mv->set_delta(delta);
    }
    if (static_cast<size_t>(lc.moves_size()) == cert.size()) *out->add_certificates() = lc;
  }
}

std::vector<Certificate> SeedsOf(const SeriesStack& stack, const v1::LedgerRelease& previous,
                                 const std::string& ytd_before, const std::string& ytd_now) {
  const std::vector<const std::string*> keys = TableKeys(stack);
  std::map<std::string, CellId> by_key;
  for (const pipeline::Cell& c : stack.set.cells()) {
    const std::string* key = keys[static_cast<size_t>(c.table)];
    if (key == nullptr) continue;
    const size_t slash = key->rfind('/');
    by_key[MoveKey(key->substr(0, slash), key->substr(slash + 1), c.labels)] = c.id;
  }
  std::vector<Certificate> seeds;
  for (const v1::LedgerCertificate& lc : previous.certificates()) {
    std::map<CellId, int64_t> moves;
    bool found = true;
    for (const v1::LedgerMove& mv : lc.moves()) {
      const std::vector<std::string> labels(mv.labels().begin(), mv.labels().end());
      auto it = by_key.find(MoveKey(mv.period(), mv.table(), labels));
      found = found && it != by_key.end();
      if (!found) break;
      moves[it->second] += mv.delta();
      if (mv.period() != ytd_before) continue;
      // YTD(now) = YTD(before) + month(now): the same change of the new year to date keeps
      // the link, and every relation of the new year to date, which has the same form.
      auto now = by_key.find(MoveKey(ytd_now, mv.table(), labels));
      found = now != by_key.end();
      if (found) moves[now->second] += mv.delta();
    }
    if (!found) continue;
    Certificate seed;
    for (const auto& [id, delta] : moves) {
      if (delta != 0) seed.emplace_back(id, delta);
    }
    if (!seed.empty()) seeds.push_back(std::move(seed));
  }
  return seeds;
}

}  // namespace tvault::report_internal

namespace tvault {

ReleaseUtility UtilityOf(const v1::LedgerRelease& release) {
  ReleaseUtility u;
  const std::string own = release.kind() == report_internal::kKindRevision
                              ? report_internal::RevisionPeriod(release.series())
                              : release.month();
  for (const v1::LedgerTable& t : release.tables()) {
    if (t.hidden()) continue;
    for (int i = 0; i < t.values_size() && i < t.states_size(); ++i) {
      const bool shown = t.states(i) == static_cast<int>(pipeline::CellState::kPublished);
      ++u.cells;
      u.cells_published += shown;
      if (t.values(i) != 0) {
        ++u.nonzero_cells;
        u.nonzero_cells_published += shown;
      }
    }
    if (t.period() != own) continue;
    uint64_t* total = t.name() == "people_by_route"        ? &u.people
                      : t.name() == "testimonies_by_route" ? &u.testimonies
                                                           : nullptr;
    if (total == nullptr) continue;
    uint64_t* shown = total == &u.people ? &u.people_published : &u.testimonies_published;
    const int interior = t.rows_size() * std::max(1, t.columns_size());
    for (int i = 0; i < interior && i < t.values_size() && i < t.states_size(); ++i) {
      *total += static_cast<uint64_t>(t.values(i));
      if (t.states(i) == static_cast<int>(pipeline::CellState::kPublished)) {
        *shown += static_cast<uint64_t>(t.values(i));
      }
    }
  }
  return u;
}

}  // namespace tvault
