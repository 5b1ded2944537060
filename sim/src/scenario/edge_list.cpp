#include "meshota/sim/scenario/edge_list.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::sim {
namespace {

constexpr std::string_view kHeaderForm = "`# nodes N edges E`";

/// One whitespace-separated word of a line and its 1-based column.
struct Token {
  std::string_view text;
  int column;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/// Splits `line` into words; `first_column` is the column of line[0].
std::vector<Token> split_words(std::string_view line, int first_column) {
  std::vector<Token> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start)
      words.push_back({line.substr(start, i - start), first_column + static_cast<int>(start)});
  }
  return words;
}

/// Column just past the last non-blank character: where a missing word would go.
int end_column(std::string_view line) {
  size_t end = line.size();
  while (end > 0 && is_blank(line[end - 1])) --end;
  return static_cast<int>(end) + 1;
}

/// Line-by-line view of the text with a 1-based line counter.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  bool next(std::string_view& line) {
    if (pos_ > text_.size() || (pos_ == text_.size() && line_number_ > 0)) return false;
    const size_t nl = text_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_number_;
    return true;
  }
  int line_number() const { return line_number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_number_ = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& name) : reader_(text), name_(name) {}

  EdgeList parse() {
    EdgeList graph;
    std::string_view line;
    bool have_header = false;
    while (reader_.next(line)) {
      const size_t first = first_non_blank(line);
      if (first == line.size()) continue;
      if (!have_header) {
        parse_header(line, first, graph);
        have_header = true;
        continue;
      }
      if (line[first] == '#') continue;
      parse_edge(line, graph);
    }
    if (!have_header)
      fail(reader_.line_number() > 0 ? reader_.line_number() : 1, 1,
           std::string("missing header: an edge list starts with a ") + std::string(kHeaderForm) +
               " line");
    if (graph.edges.size() != declared_edges_)
      fail(header_line_, edges_column_,
           "the header declares " + std::to_string(declared_edges_) + " edges but the file has " +
               std::to_string(graph.edges.size()) +
               "; fix the `edges` count or add the missing edge lines");
    return graph;
  }

 private:
  static size_t first_non_blank(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && is_blank(line[i])) ++i;
    return i;
  }

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw InputError(name_, line, column, message);
  }
  [[noreturn]] void fail_here(int column, const std::string& message) const {
    fail(reader_.line_number(), column, message);
  }

  /// Parses an unsigned decimal that fits in 32 bits, or fails naming `what`.
  uint32_t parse_u32(const Token& t, const char* what) const {
    uint64_t value = 0;
    const char* begin = t.text.data();
    const char* end = begin + t.text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && value > UINT32_MAX))
      fail_here(t.column, "`" + std::string(t.text) + "` is too large for " + what +
                              " (at most " + std::to_string(UINT32_MAX) + ")");
    if (ec != std::errc() || ptr != end)
      fail_here(t.column, "`" + std::string(t.text) + "` is not a valid " + what +
                              "; expected an unsigned decimal integer");
    return static_cast<uint32_t>(value);
  }

  void parse_header(std::string_view line, size_t first, EdgeList& graph) {
    const std::string expected = std::string("; the first line must be ") + std::string(kHeaderForm);
    if (line[first] != '#')
      fail_here(static_cast<int>(first) + 1, "missing header before the first edge" + expected);
    const std::vector<Token> words =
        split_words(line.substr(first + 1), static_cast<int>(first) + 2);
    static constexpr const char* kKeywords[2] = {"nodes", "edges"};
    for (size_t i = 0; i < 4; ++i) {
      if (i >= words.size())
        fail_here(end_column(line), "incomplete header" + expected);
      if (i % 2 == 0 && words[i].text != kKeywords[i / 2])
        fail_here(words[i].column, "garbled header: expected `" + std::string(kKeywords[i / 2]) +
                                       "`, found `" + std::string(words[i].text) + "`" + expected);
    }
    if (words.size() > 4)
      fail_here(words[4].column, "unexpected `" + std::string(words[4].text) + "` after the header" +
                                     expected);
    graph.nodes = parse_u32(words[1], "node count");
    if (graph.nodes == 0) fail_here(words[1].column, "the graph must have at least one node");
    declared_edges_ = parse_u32(words[3], "edge count");
    header_line_ = reader_.line_number();
    edges_column_ = words[3].column;
    graph.edges.reserve(declared_edges_ < (1u << 24) ? declared_edges_ : (1u << 24));
    first_line_of_edge_.reserve(graph.edges.capacity());
  }

  void parse_edge(std::string_view line, EdgeList& graph) {
    const std::vector<Token> words = split_words(line, 1);
    if (words.size() < 2)
      fail_here(end_column(line), "an edge line needs two node ids `u v`, found only one");
    if (words.size() > 2)
      fail_here(words[2].column, "unexpected `" + std::string(words[2].text) +
                                     "`: an edge line holds exactly two node ids `u v`");
    uint32_t ids[2];
    for (size_t i = 0; i < 2; ++i) {
      ids[i] = parse_u32(words[i], "node id");
      if (ids[i] >= graph.nodes)
        fail_here(words[i].column,
                  "node id " + std::to_string(ids[i]) + " is out of range: the header declares " +
                      std::to_string(graph.nodes) + " nodes (ids 0.." +
                      std::to_string(graph.nodes - 1) + "); fix the id or the `nodes` count");
    }
    if (ids[0] == ids[1])
      fail_here(words[1].column, "self-loop " + std::to_string(ids[0]) + " " +
                                     std::to_string(ids[1]) +
                                     ": a link must join two different nodes; remove this line");
    if (graph.edges.size() >= declared_edges_)
      fail_here(words[0].column, "more edges than the " + std::to_string(declared_edges_) +
                                     " the header declares; fix the `edges` count in the header");
    const uint64_t key = (uint64_t{std::min(ids[0], ids[1])} << 32) | std::max(ids[0], ids[1]);
    const auto [it, inserted] = first_line_of_edge_.emplace(key, reader_.line_number());
    if (!inserted)
      fail_here(words[0].column, "duplicate edge " + std::to_string(ids[0]) + " " +
                                     std::to_string(ids[1]) + " (already given on line " +
                                     std::to_string(it->second) + "); remove one of them");
    graph.edges.emplace_back(ids[0], ids[1]);
  }

  LineReader reader_;
  const std::string& name_;
  uint32_t declared_edges_ = 0;
  int header_line_ = 0;
  int edges_column_ = 0;
  std::unordered_map<uint64_t, int> first_line_of_edge_;
};

}  // namespace

EdgeList parse_edge_list(std::string_view text, const std::string& name_for_errors) {
  return Parser(text, name_for_errors).parse();
}

EdgeList read_edge_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw InputError(path, 0, 0,
                     std::string("cannot open the edge list: ") + std::strerror(err) +
                         "; check the path (the project's topologies live in data/topologies/)");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, 0, 0, "read error while loading the edge list");
  return parse_edge_list(buffer.str(), path);
}

}  // namespace meshota::sim
