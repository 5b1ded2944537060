#pragma once
// Private to the scenario loader: typed reads of one YAML mapping, each either
// yielding a value or throwing InputError at the offending node with the key's
// full path and what to write instead. Unknown and duplicate keys are caught
// when a Section is built, before any value is read, so a misspelt key is
// reported as such rather than as a missing one.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim::detail {

/// Names a mapping can hold, or the values a choice accepts.
using Names = std::span<const std::string_view>;

/// "; did you mean 'x'?" when `word` is close to one of `options`, else "".
std::string suggestion(std::string_view word, Names options);

/// "a, b, c".
std::string join(Names options);

/// Shortest decimal text that reads back as `v` (for messages).
std::string number_text(double v);

/// 1-based position of a YAML mark.
SourcePos to_pos(const YAML::Mark& mark);

/// The one YAML document of `text`; throws InputError for a syntax error, an empty
/// text, or more than one document.
YAML::Node load_one_document(const std::string& text, const std::string& file);

/// One YAML mapping of the scenario, checked for unknown and duplicate keys up front.
class Section {
 public:
  /// `node` may be absent or null (a key with no value): it then reads as empty, and
  /// errors about missing keys point at `where`.
  Section(const std::string& file, const YAML::Node& node, std::string path, Names allowed,
          const YAML::Mark& where);

  const std::string& path() const { return path_; }
  /// The scenario file's path (for sections built from list items).
  const std::string& file() const { return *file_; }
  SourcePos pos() const { return to_pos(mark_); }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  /// The key's full path for messages, e.g. "medium.loss.p".
  std::string name(std::string_view key) const;
  /// Where the key's value is; the key itself when the value is null; the section when absent.
  YAML::Mark mark(std::string_view key) const;
  /// The raw value (an invalid node when absent).
  YAML::Node value(std::string_view key) const;

  /// Throws "<name(key)> <message>" at mark(key).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  /// Throws `message` as is, at `mark`.
  [[noreturn]] void fail_at(const YAML::Mark& mark, const std::string& message) const;
  void check(bool ok, std::string_view key, const std::string& message) const {
    if (!ok) fail(key, message);
  }
  /// Errors at the section when `key` is missing; `example` shows a line to add.
  void require(std::string_view key, const std::string& example) const;
  /// Errors at `key` when it is present but does not apply; `setting` is what makes it apply.
  void only_when(bool applies, std::string_view key, const std::string& setting) const;

  // Each read leaves `out` untouched when the key is absent, so it keeps its default.
  void read(std::string_view key, uint32_t& out) const;
  void read(std::string_view key, uint64_t& out) const;
  void read(std::string_view key, double& out) const;
  void read(std::string_view key, bool& out) const;
  void read(std::string_view key, std::string& out) const;
  /// A path to an existing file, made absolute; a relative one is taken from the scenario's folder.
  void read_file_path(std::string_view key, std::string& out) const;
  void read_probability(std::string_view key, double& out) const;
  /// Index of the value among `names`, or -1 when the key is absent.
  int read_choice(std::string_view key, Names names) const;

  /// The mapping under `key` (empty when absent or null).
  Section child(std::string_view key, Names allowed) const;
  /// The items of the list under `key` (none when absent or null).
  std::vector<YAML::Node> list(std::string_view key) const;

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
  };

  const Entry* find(std::string_view key) const;
  /// The scalar text of a number or bool value; rejects null, lists, mappings, quotes.
  std::string plain_scalar(const Entry& e, const char* expected) const;
  uint64_t read_unsigned(const Entry& e, uint64_t max) const;

  const std::string* file_;
  std::string path_;
  YAML::Mark mark_;
  std::vector<Entry> entries_;
};

}  // namespace meshota::sim::detail
