#pragma once
// pybind11 and the Python C API in one place. CMake passes their folders as
// system include directories (imported targets), so their own warnings do not
// trip -Werror; our code around them is held to the project's flags.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
