// Precompiled header: the heavy Asio and Beast headers, parsed once per target.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
