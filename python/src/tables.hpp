#pragma once
// The machinery behind result_fields.cpp: a table is a list of (column name,
// accessor) pairs over a row type, turned into one NumPy array per column, and
// the summary is a list of (name, accessor) pairs over the run. Adding a
// column, a summary number or a table is one line in result_fields.cpp; nothing
// here or on the Python side changes.

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "pybind.hpp"

#include "meshota/sim/scenario/scenario_run.hpp"

namespace meshota::py {

namespace pyb = pybind11;
using sim::ScenarioRun;

namespace detail {

/// Calls an accessor written as a member pointer, `f(row)` or `f(run, row)`.
template <class Row, class F>
decltype(auto) call(const F& f, const ScenarioRun& run, const Row& row) {
  if constexpr (std::is_member_object_pointer_v<F>) {
    return row.*f;
  } else if constexpr (std::is_invocable_v<const F&, const ScenarioRun&, const Row&>) {
    return f(run, row);
  } else {
    return f(row);
  }
}

/// One NumPy array from the values of every row: numbers and booleans keep their
/// C++ type (uint32 stays uint32), text becomes an object array of str.
template <class T>
pyb::object column_array(std::vector<T>&& values) {
  if constexpr (std::is_same_v<T, std::string>) {
    pyb::list items(values.size());
    for (size_t i = 0; i < values.size(); ++i) items[i] = pyb::str(values[i]);
    return pyb::module_::import("numpy").attr("array")(items, pyb::arg("dtype") = "object");
  } else {
    static_assert(std::is_arithmetic_v<T>, "a column holds numbers, booleans or text");
    pyb::array_t<T> out(static_cast<pyb::ssize_t>(values.size()));
    T* data = out.mutable_data();
    for (size_t i = 0; i < values.size(); ++i) data[i] = values[i];
    return out;
  }
}

}  // namespace detail

/// One column of a table over `Row`: its name and how to read it from a row.
template <class Row>
class Column {
 public:
  /// `get` is a member pointer (`&NodeResult::depth`), `f(row)` or `f(run, row)`.
  template <class F>
  Column(const char* name, F get)
      : name_(name), build_([get](const ScenarioRun& run, const std::vector<Row>& rows) {
          using T = std::decay_t<decltype(detail::call<Row>(get, run, rows.front()))>;
          std::vector<T> values;
          values.reserve(rows.size());
          for (const Row& r : rows) values.push_back(detail::call<Row>(get, run, r));
          return detail::column_array(std::move(values));
        }) {}

  const char* name() const { return name_; }
  /// Calls the accessor once per row; an empty table still gets an array of the column's type.
  pyb::object build(const ScenarioRun& run, const std::vector<Row>& rows) const { return build_(run, rows); }

 private:
  const char* name_;
  std::function<pyb::object(const ScenarioRun&, const std::vector<Row>&)> build_;
};

/// A named table of a run: column name -> NumPy array, in column order.
struct TableSpec {
  const char* name;
  const char* doc;
  std::function<pyb::dict(const ScenarioRun&)> build;
};

/// A table whose rows come from `rows(run)` and whose columns are `columns`.
template <class Row>
TableSpec make_table(const char* name, const char* doc, std::vector<Row> (*rows)(const ScenarioRun&),
                     std::vector<Column<Row>> columns) {
  return TableSpec{name, doc, [rows, columns = std::move(columns)](const ScenarioRun& run) {
                     const std::vector<Row> data = rows(run);
                     pyb::dict out;
                     for (const Column<Row>& c : columns) out[c.name()] = c.build(run, data);
                     return out;
                   }};
}

/// One number (or flag, or text) of a run's summary.
struct Field {
  template <class F>
  Field(const char* field_name, F get)
      : name(field_name), value([get](const ScenarioRun& run) { return pyb::cast(get(run)); }) {}

  const char* name;
  std::function<pyb::object(const ScenarioRun&)> value;
};

/// The summary of a run, one entry per Field; result_fields.cpp holds the list.
const std::vector<Field>& summary_fields();
/// Every table of a run; result_fields.cpp holds the list.
const std::vector<TableSpec>& result_tables();

}  // namespace meshota::py
