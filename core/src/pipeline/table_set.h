// Linked count tables as the protect and self-audit stages see them: every published number is
// a cell with an id, and every way two published numbers are tied together (a margin, a total,
// a year-to-date sum, a margin shared by two tables) is a linear equality between cells. The
// aggregate stage fills a TableSet; protect.h chooses what to suppress; attack.h checks it.
//
// The protection rule of a cell (threshold k and protection levels) is pinned here, because
// both the suppression heuristic and the independent audit must read it the same way.
// docs/methodology-protection.md states the same inequalities in prose.
#ifndef TVAULT_PIPELINE_TABLE_SET_H_
#define TVAULT_PIPELINE_TABLE_SET_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tvault/status.h"

namespace tvault::pipeline {

using CellId = int32_t;

// The label of a margin (row total, column total, grand total, total of a 1-D table). It is
// reserved: no category may be called this.
constexpr char kTotalLabel[] = "Total";

// Largest count a cell may hold. Keeps every sum exact in int64 and every value exact in the
// solver's doubles.
constexpr int64_t kMaxCellValue = int64_t{1} << 40;

// How a class of cells (e.g. "people", "testimonies") is protected. With v the true value of
// a cell, the cell is *sensitive* (primary suppression) iff 0 < v < k. For a sensitive cell the
// attacker's feasible range [lo, hi] over all published numbers must satisfy, all three:
//   hi >= v + UpperProtection(v)          (upper protection level, UPL)
//   lo <= v - LowerProtection(v)          (lower protection level, LPL)
//   hi - lo >= WidthProtection(v)         (sliding protection level, SPL)
// where, with ceil() of a real number:
//   UPL(v) = max(ceil(upper_percent * v / 100), upper_min)
//   LPL(v) = min(max(ceil(lower_percent * v / 100), lower_min), v - 1)
//   SPL(v) = max(ceil(width_percent * v / 100), width_min)
// LPL is capped at v - 1 because a suppressed cell is known to be >= 1 (zeros are published),
// so no pattern can push the attacker's lower bound under 1.
//
// Defaults: UPL = max(ceil(30% of v), 2), no LPL, SPL = 2. For counts the disclosure is an
// upper bound ("at most 2 people went through here"); a lower bound is partly given away by
// publishing zeros anyway (a suppressed total whose parts are three non-zero cells is >= 3),
// so a default LPL would often be unsatisfiable. Set lower_* to require one.
struct ProtectionRule {
  int64_t k = 5;
  double upper_percent = 30.0;
  int64_t upper_min = 2;
  double lower_percent = 0.0;
  int64_t lower_min = 0;
  double width_percent = 0.0;
  int64_t width_min = 2;
};

// The defaults: tables that count people use k = 5; tables that count testimonies use k = 3.
ProtectionRule PeopleRule();
ProtectionRule TestimonyRule();

// Checks that k >= 1, percentages are finite and in [0, 1000], and minimums are in [0, 10^6].
Status ValidateRule(const ProtectionRule& rule);

// The rule's predicates and levels, exactly as in the comment on ProtectionRule.
// REQUIRES: ValidateRule(rule).ok(); for the levels, IsSensitive(rule, v).
bool IsSensitive(const ProtectionRule& rule, int64_t v);
int64_t UpperProtection(const ProtectionRule& rule, int64_t v);
int64_t LowerProtection(const ProtectionRule& rule, int64_t v);
int64_t WidthProtection(const ProtectionRule& rule, int64_t v);

// What an earlier report already did with a cell. An earlier month's table is part of what an
// attacker holds, and what it published can no longer be changed.
enum class Prior {
  kNone,               // a cell of this report: protect may publish or suppress it
  kPublishedBefore,    // published in an earlier report: fixed, never suppressed now
  kSuppressedBefore,   // suppressed in an earlier report: stays suppressed
};

struct Cell {
  CellId id = 0;
  int table = 0;                     // index into TableSet::tables()
  std::vector<std::string> labels;   // one per dimension of its table; kTotalLabel on a margin
  int64_t value = 0;                 // the true count, >= 0
  // A hidden cell is never published (e.g. October alone when only year-to-date tables are
  // published) but is still sensitive when small: the attacker must not derive it either.
  bool hidden = false;
  Prior prior = Prior::kNone;
};

// sum over terms of coefficient * x[cell] == 0. Terms are sorted by cell id, merged, and have
// non-zero coefficients.
struct Relation {
  std::vector<std::pair<CellId, int64_t>> terms;
  std::string origin;  // e.g. "row 'HR' of table 'people_by_route'", for messages
};

struct Table {
  std::string name;
  ProtectionRule rule;
  std::vector<std::vector<std::string>> dims;  // category labels per dimension (1 or 2)
  // Row-major interior cells; then, for 2-D, row totals, column totals and the grand total;
  // for 1-D, the total.
  std::vector<CellId> interior;
  std::vector<CellId> row_totals;
  std::vector<CellId> column_totals;
  CellId grand_total = -1;
};

class TableSet {
 public:
  // Adds a 2-D table from its interior counts (counts[r][c], rows x columns), computes its
  // margins, and adds the additive relations: each row total = sum of its row, each column
  // total = sum of its column, grand total = sum of row totals = sum of column totals.
  // Returns the table's index.
  // REQUIRES: a unique non-empty name, non-empty distinct labels other than kTotalLabel,
  // counts shaped rows x columns with 0 <= count and all sums <= kMaxCellValue.
  Result<int> AddTable2D(const std::string& name, const ProtectionRule& rule,
                         const std::vector<std::string>& rows,
                         const std::vector<std::string>& columns,
                         const std::vector<std::vector<int64_t>>& counts);

  // Adds a 1-D table and its total, with the relation total = sum of cells. Same REQUIRES.
  Result<int> AddTable1D(const std::string& name, const ProtectionRule& rule,
                         const std::vector<std::string>& labels,
                         const std::vector<int64_t>& counts);

  // Adds target = sum of parts (a part may repeat: it then counts twice). Fails unless the
  // true values satisfy it. `origin` names the relation in messages.
  Status AddSumRelation(CellId target, const std::vector<CellId>& parts,
                        const std::string& origin);

  // For tables of the same shape and labels: every cell (margins included) of `target` equals
  // the sum of the same cell of each of `sources`. Year-to-date = sum of its months, or
  // YTD(October) = YTD(September) + October.
  Status AddCellwiseSum(int target, const std::vector<int>& sources);

  // Links the 1-D table `one_d` to a margin of the 2-D table `two_d`: each cell of `one_d`
  // equals the row total (axis 0) or column total (axis 1) with the same label, and the two
  // totals are equal. REQUIRES: the label sets are equal (order may differ).
  Status AddMarginLink(int two_d, int axis, int one_d);

  // Marks a cell hidden, or records what an earlier report did with it. NotFound on a bad id.
  Status SetHidden(CellId cell, bool hidden);
  Status SetPrior(CellId cell, Prior prior);
  // Applies `prior` to every cell of a table.
  Status SetTablePrior(int table, Prior prior);

  // Looks up a cell by its table's name and labels (kTotalLabel for margins).
  Result<CellId> Find(const std::string& table, const std::vector<std::string>& labels) const;

  // "table 'name' [HR, BA]": how messages name a cell. REQUIRES: a valid id.
  std::string CellName(CellId cell) const;

  const std::vector<Cell>& cells() const { return cells_; }
  const std::vector<Relation>& relations() const { return relations_; }
  const std::vector<Table>& tables() const { return tables_; }
  const ProtectionRule& RuleOf(CellId cell) const { return tables_[cells_[cell].table].rule; }

 private:
  Status CheckNewTable(const std::string& name, const ProtectionRule& rule,
                       const std::vector<std::vector<std::string>>& dims) const;
  CellId NewCell(int table, std::vector<std::string> labels, int64_t value);
  // Normalises terms (merge, drop zeros, sort), checks the true values, and stores it.
  Status AddRelation(std::vector<std::pair<CellId, int64_t>> terms, std::string origin);
  bool ValidCell(CellId cell) const {
    return cell >= 0 && static_cast<size_t>(cell) < cells_.size();
  }

  std::vector<Cell> cells_;
  std::vector<Relation> relations_;
  std::vector<Table> tables_;
};

// A partition of the "free" cells of a set (the unknowns of some problem over the relations)
// into independent blocks. Two free cells are in one component when some relation contains
// both (transitively). A relation belongs to the component of its free cells; a relation with
// no free cell belongs to none. Because every relation's free cells lie in one component and
// every other cell is a constant, a system "every relation holds, each free cell within its
// own bounds" is the Cartesian product of one system per component: it can be solved (and
// optimised for any objective over one component's cells) component by component.
struct CellComponents {
  // Each component's cells in ascending id order; components ordered by their smallest id.
  std::vector<std::vector<CellId>> cells;
  // Per component, the indices into TableSet::relations() of its relations, ascending.
  std::vector<std::vector<size_t>> relations;
  // Per cell, the index of its component, or -1 for a cell that is not free.
  std::vector<int> component_of;
};

// Computes the components of the cells with free[id] true (free.size() must equal the number
// of cells; missing entries count as false). Deterministic: depends only on the set and `free`.
CellComponents FreeComponents(const TableSet& set, const std::vector<bool>& free);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_TABLE_SET_H_
