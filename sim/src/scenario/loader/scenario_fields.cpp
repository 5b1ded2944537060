#include "scenario_fields.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim::detail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// Case-insensitive Levenshtein distance; keys are short, so O(n*m) is nothing.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string describe_kind(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "'" + n.Scalar() + "'";
}

enum class NumberError { kNone, kNotNumber, kNegative, kFraction, kTooLarge };

/// Reads a finite decimal number; YAML allows a leading '+', from_chars does not.
NumberError parse_double(std::string_view text, double& out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (text.empty() || ptr != end) return NumberError::kNotNumber;
  if (ec == std::errc::result_out_of_range) return NumberError::kTooLarge;
  if (ec != std::errc() || !std::isfinite(out)) return NumberError::kNotNumber;
  return NumberError::kNone;
}

NumberError parse_unsigned(std::string_view text, uint64_t& out) {
  double as_double = 0.0;
  if (!text.empty() && text[0] == '-')
    return parse_double(text, as_double) == NumberError::kNone ? NumberError::kNegative
                                                               : NumberError::kNotNumber;
  std::string_view digits = text;
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && lower(digits[1]) == 'x') {
    digits.remove_prefix(2);
    base = 16;
  }
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, out, base);
  if (!digits.empty() && ptr == end) {
    if (ec == std::errc::result_out_of_range) return NumberError::kTooLarge;
    if (ec == std::errc()) return NumberError::kNone;
  }
  // Tell "2.5" (a number, but not whole) apart from "fast" (not a number at all).
  return parse_double(text, as_double) == NumberError::kNone ? NumberError::kFraction
                                                             : NumberError::kNotNumber;
}

/// Where each document and its first node start. Parsing stops after two documents:
/// yaml-cpp 0.7 never consumes a stray ',' where a document should begin, so its
/// LoadAll returns null documents forever there (yaml-cpp issues #1040, PR #1319).
class DocumentMarks : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> documents;
  std::vector<YAML::Mark> first_nodes;

  void OnDocumentStart(const YAML::Mark& mark) override { documents.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark) {
    if (first_nodes.size() < documents.size()) first_nodes.push_back(mark);
  }
};

[[noreturn]] void fail_at(const std::string& file, const YAML::Mark& mark,
                          const std::string& message) {
  const SourcePos p = to_pos(mark);
  throw InputError(file, p.line, p.column, message);
}

}  // namespace

YAML::Node load_one_document(const std::string& text, const std::string& file) {
  DocumentMarks marks;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (marks.documents.size() < 2 && parser.HandleNextDocument(marks)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    // Its own message is a bare "bad file".
    fail_at(file, e.mark,
            "YAML nesting deeper than " + std::to_string(e.depth()) +
                " levels; a scenario needs 3 at most (medium.loss), so look for unclosed "
                "brackets");
  } catch (const YAML::Exception& e) {
    fail_at(file, e.mark,
            "YAML syntax error: " + e.msg +
                "; check the indentation, the ':' after each key and the quotes here");
  }
  if (marks.documents.size() > 1) {
    const YAML::Mark& first =
        marks.first_nodes.size() > 1 ? marks.first_nodes[1] : YAML::Mark::null_mark();
    if (first.pos >= 0 && static_cast<size_t>(first.pos) < text.size() && text[first.pos] == ',')
      fail_at(file, first,
              "YAML syntax error: stray ','; a comma only separates the items of a [list] or a "
              "{mapping}, so remove it");
    fail_at(file, marks.documents[1],
            "a second YAML document starts here (a '---' line, or a top-level line indented "
            "differently from the first); a scenario is one mapping");
  }
  // Safe now: a single document, which Load reads with the same one parser pass.
  const YAML::Node root = marks.documents.empty() ? YAML::Node() : YAML::Load(text);
  if (root.IsNull())
    fail_at(file, YAML::Mark(),
            "the scenario is empty; it needs at least 'firmware: {size_bytes: 700000}' (see "
            "docs/scenarios.md)");
  return root;
}

std::string suggestion(std::string_view word, Names options) {
  std::string_view best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (std::string_view option : options) {
    // A bare name missing its unit suffix ("latency" for "latency_ms") is the common slip.
    const bool unit_missing = option.size() > word.size() && option.starts_with(word) &&
                              option[word.size()] == '_' && !word.empty();
    const size_t d = unit_missing ? 1 : edit_distance(word, option);
    if (d < best_distance) {
      best_distance = d;
      best = option;
    }
  }
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  if (best.empty() || best_distance > limit) return "";
  return "; did you mean '" + std::string(best) + "'?";
}

std::string join(Names options) {
  std::string out;
  for (std::string_view option : options) {
    if (!out.empty()) out += ", ";
    out += option;
  }
  return out;
}

std::string number_text(double v) {
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::string("?");
}

SourcePos to_pos(const YAML::Mark& mark) {
  if (mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

Section::Section(const std::string& file, const YAML::Node& node, std::string path, Names allowed,
                 const YAML::Mark& where)
    : file_(&file), path_(std::move(path)), mark_(where) {
  if (!node.IsDefined() || node.IsNull()) return;
  const std::string what = path_.empty() ? "the scenario" : path_;
  if (!node.IsMap())
    fail_at(node.Mark(), what + " must be a mapping of 'key: value' lines, not " +
                             describe_kind(node) + "; see docs/scenarios.md for its keys");
  mark_ = node.Mark();
  const std::string where_text = path_.empty() ? "at the top level" : "in " + path_;
  for (const auto& pair : node) {
    // Copies: yaml-cpp's iterator yields a temporary pair proxy.
    const YAML::Node key = pair.first;
    if (!key.IsScalar())
      fail_at(key.Mark(), "a key " + where_text + " must be a plain name, not " +
                              describe_kind(key) + "; allowed: " + join(allowed));
    const std::string& text = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end())
      fail_at(key.Mark(), "unknown key '" + text + "' " + where_text + suggestion(text, allowed) +
                              " (allowed: " + join(allowed) + ")");
    // yaml-cpp keeps both copies of a repeated key and lookups see only one, so a
    // repeated key would silently lose a value: refuse it.
    if (const Entry* first = find(text))
      fail_at(key.Mark(), "duplicate key '" + text + "' " + where_text + " (first given on line " +
                              std::to_string(first->key_mark.line + 1) + "); keep only one");
    entries_.push_back({text, key.Mark(), pair.second});
  }
}

std::string Section::name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

YAML::Mark Section::mark(std::string_view key) const {
  const Entry* e = find(key);
  if (e == nullptr) return mark_;
  // A null value's mark is wherever the parser stopped, often the next line.
  if (e->value.IsNull()) return e->key_mark;
  return e->value.Mark();
}

YAML::Node Section::value(std::string_view key) const {
  const Entry* e = find(key);
  return e != nullptr ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

void Section::fail(std::string_view key, const std::string& message) const {
  fail_at(mark(key), name(key) + " " + message);
}

void Section::fail_at(const YAML::Mark& mark, const std::string& message) const {
  const SourcePos p = to_pos(mark);
  throw InputError(*file_, p.line, p.column, message);
}

void Section::require(std::string_view key, const std::string& example) const {
  if (has(key)) return;
  const std::string what = path_.empty() ? "the scenario" : path_;
  fail_at(mark_,
          what + " is missing '" + std::string(key) + "'; add a line like '" + example + "'");
}

void Section::only_when(bool applies, std::string_view key, const std::string& setting) const {
  if (!applies && has(key)) fail(key, "is used only with '" + setting + "'; remove it or set that");
}

const Section::Entry* Section::find(std::string_view key) const {
  for (const Entry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

std::string Section::plain_scalar(const Entry& e, const char* expected) const {
  const std::string n = name(e.key);
  if (e.value.IsNull())
    fail_at(e.key_mark,
            n + " has no value; write " + expected + " or remove the key to keep the default");
  if (!e.value.IsScalar())
    fail_at(e.value.Mark(), n + " must be " + expected + ", not " + describe_kind(e.value));
  // yaml-cpp tags quoted scalars "!": "1000" in quotes is text, not a number.
  if (e.value.Tag() == "!")
    fail_at(e.value.Mark(), n + " must be " + expected + ", but '" + e.value.Scalar() +
                                "' is quoted text; remove the quotes");
  return e.value.Scalar();
}

uint64_t Section::read_unsigned(const Entry& e, uint64_t max) const {
  const std::string text = plain_scalar(e, "a whole number");
  uint64_t v = 0;
  const NumberError err = parse_unsigned(text, v);
  const std::string got = " (got '" + text + "')";
  switch (err) {
    case NumberError::kNone:
      if (v <= max) return v;
      [[fallthrough]];
    case NumberError::kTooLarge:
      fail(e.key, "is too large" + got + "; the largest allowed is " + std::to_string(max));
    case NumberError::kNegative:
      fail(e.key, "must not be negative" + got + "; write 0 or more");
    case NumberError::kFraction:
      fail(e.key, "must be a whole number" + got + "; drop the fraction");
    case NumberError::kNotNumber:
      break;
  }
  fail(e.key, "must be a whole number" + got + "; write digits such as 10");
}

void Section::read(std::string_view key, uint32_t& out) const {
  if (const Entry* e = find(key))
    out = static_cast<uint32_t>(read_unsigned(*e, std::numeric_limits<uint32_t>::max()));
}

void Section::read(std::string_view key, uint64_t& out) const {
  if (const Entry* e = find(key)) out = read_unsigned(*e, std::numeric_limits<uint64_t>::max());
}

void Section::read(std::string_view key, double& out) const {
  const Entry* e = find(key);
  if (e == nullptr) return;
  const std::string text = plain_scalar(*e, "a number");
  if (parse_double(text, out) != NumberError::kNone)
    fail(key, "must be a finite number (got '" + text + "'); write digits such as 2.5");
}

void Section::read(std::string_view key, bool& out) const {
  const Entry* e = find(key);
  if (e == nullptr) return;
  const std::string text = plain_scalar(*e, "true or false");
  if (text == "true" || text == "True" || text == "TRUE") {
    out = true;
  } else if (text == "false" || text == "False" || text == "FALSE") {
    out = false;
  } else {
    // yes/no/on/off are booleans only in YAML 1.1; be explicit rather than guess.
    fail(key, "must be true or false (got '" + text + "'); write true or false");
  }
}

void Section::read(std::string_view key, std::string& out) const {
  const Entry* e = find(key);
  if (e == nullptr) return;
  if (e->value.IsNull())
    fail_at(e->key_mark, name(key) + " has no value; write some text or remove the key");
  if (!e->value.IsScalar())
    fail(key, "must be text, not " + describe_kind(e->value) + "; quote it if it holds ':'");
  out = e->value.Scalar();
}

void Section::read_file_path(std::string_view key, std::string& out) const {
  if (!has(key)) return;
  read(key, out);
  std::filesystem::path p(out);
  if (p.is_relative()) p = std::filesystem::path(*file_).parent_path() / p;
  // Absolute, so the path means the same file whatever the working folder is later.
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(p, ec);
  out = (ec ? p : absolute).lexically_normal().string();
  if (std::filesystem::is_regular_file(out, ec)) return;
  fail(key, "'" + out + "' " +
                (std::filesystem::exists(out, ec) ? "is not a regular file" : "not found") +
                " (a relative path is taken from the scenario file's folder); fix the path");
}

void Section::read_probability(std::string_view key, double& out) const {
  read(key, out);
  check(out >= 0.0 && out <= 1.0, key,
        "is a probability and must be between 0 and 1 (got " + number_text(out) +
            "); for a percentage p write p/100");
}

int Section::read_choice(std::string_view key, Names names) const {
  const Entry* e = find(key);
  if (e == nullptr) return -1;
  std::string text;
  read(key, text);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<int>(i);
  fail(key, "has unknown value '" + text + "'" + suggestion(text, names) +
                " (allowed: " + join(names) + ")");
}

Section Section::child(std::string_view key, Names allowed) const {
  const Entry* e = find(key);
  if (e == nullptr) return Section(*file_, YAML::Node(), name(key), allowed, mark_);
  return Section(*file_, e->value, name(key), allowed, e->key_mark);
}

std::vector<YAML::Node> Section::list(std::string_view key) const {
  const Entry* e = find(key);
  if (e == nullptr || e->value.IsNull()) return {};
  if (!e->value.IsSequence())
    fail(key, "must be a list with one '- ' item per entry, not " + describe_kind(e->value));
  return std::vector<YAML::Node>(e->value.begin(), e->value.end());
}

}  // namespace meshota::sim::detail
