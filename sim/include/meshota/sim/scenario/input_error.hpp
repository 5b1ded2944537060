#pragma once
// The one error type for bad input (scenario files, edge lists, images): it
// always knows where the problem is, so the message can say file:line:column.

#include <stdexcept>
#include <string>

namespace meshota::sim {

/// Bad user input at a known place; what() is "file:line:column: message".
class InputError : public std::runtime_error {
 public:
  /// line and column are 1-based; 0 means "not known" and is left out.
  InputError(std::string file, int line, int column, const std::string& message)
      : std::runtime_error(format(file, line, column, message)),
        file_(std::move(file)), line_(line), column_(column) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  static std::string format(const std::string& file, int line, int column,
                            const std::string& message) {
    std::string out;
    out.reserve(file.size() + message.size() + 24);
    out.append(file);
    if (line > 0) out.append(":").append(std::to_string(line));
    if (line > 0 && column > 0) out.append(":").append(std::to_string(column));
    out.append(": ").append(message);
    return out;
  }

  std::string file_;
  int line_;
  int column_;
};

}  // namespace meshota::sim
