// meshota._meshota: the C++ side of `import meshota`. The pure-Python package
// (python/meshota/) wraps it; nothing here is meant to be called directly.

#include "errors.hpp"
#include "pybind.hpp"

namespace meshota::py {
void bind_run(pybind11::module_& m);
void bind_yaml(pybind11::module_& m);
void bind_tools(pybind11::module_& m);
}  // namespace meshota::py

PYBIND11_MODULE(_meshota, m) {
  m.doc() = "meshota's simulator (C++), wrapped by the meshota package";
  m.attr("__version__") = MESHOTA_VERSION;
  // The source tree this module was built from: its scenarios/ and data/ are the defaults.
  m.attr("SOURCE_DIR") = MESHOTA_SOURCE_DIR;
  meshota::py::register_error_translators();
  meshota::py::bind_run(m);
  meshota::py::bind_yaml(m);
  meshota::py::bind_tools(m);
}
