// A scenario's YAML as a Python document, read by the same parser as the
// scenario loader (yaml-cpp), with the position of every key. Scalars come back
// as (text, quoted) pairs: meshota/_document.py types them the way the loader
// reads them (quoted text is never a number), and the positions let it point
// an error found after an override back into the original file.

#include <yaml-cpp/yaml.h>

#include <string>

#include "pybind.hpp"

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::py {
namespace {

namespace pyb = pybind11;

pyb::tuple position(const YAML::Mark& m) { return pyb::make_tuple(m.line + 1, m.column + 1); }

pyb::object convert(const YAML::Node& node, const pyb::tuple& path, pyb::dict& marks) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      pyb::dict out;
      for (const auto& pair : node) {
        const YAML::Node key = pair.first;
        const YAML::Node value = pair.second;
        const pyb::str name(key.IsScalar() ? key.Scalar() : std::string("?"));
        const pyb::tuple child = path + pyb::make_tuple(name);
        // Like the loader: a null value has no place of its own, so errors point at its key.
        marks[child] = pyb::make_tuple(position(key.Mark()), position(value.IsNull() ? key.Mark() : value.Mark()));
        out[name] = convert(value, child, marks);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      pyb::list out;
      for (size_t i = 0; i < node.size(); ++i) {
        const pyb::tuple child = path + pyb::make_tuple(i);
        marks[child] = pyb::make_tuple(position(node[i].Mark()), position(node[i].Mark()));
        out.append(convert(node[i], child, marks));
      }
      return out;
    }
    case YAML::NodeType::Scalar:
      return pyb::make_tuple(node.Scalar(), node.Tag() == "!");
    default:
      return pyb::none();
  }
}

/// (document, marks): marks maps a key path tuple to ((key line, column), (value line, column)), 1-based.
pyb::tuple parse_yaml(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw sim::InputError(path, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + e.msg);
  }
  pyb::dict marks;
  pyb::object doc = convert(root, pyb::tuple(), marks);
  return pyb::make_tuple(doc, marks);
}

}  // namespace

void bind_yaml(pyb::module_& m) {
  m.def("parse_yaml", &parse_yaml, pyb::arg("text"), pyb::arg("path"),
        "The YAML text as (document, marks); scalars are (text, quoted) pairs.");
}

}  // namespace meshota::py
