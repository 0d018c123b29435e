# Dependencies, all from Debian's packages, found with pkg-config. When one
# is missing, configuration stops with the exact apt-get line to run.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config is missing. Run: apt-get install -y pkg-config  (or: make deps)")
endif()

function(netra_require target module package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} is missing. Run: apt-get install -y ${package}  (or: make deps)")
  endif()
endfunction()

netra_require(JANSSON jansson libjansson-dev)
netra_require(PCRE2 libpcre2-8 libpcre2-dev)
netra_require(UTF8PROC libutf8proc libutf8proc-dev)
netra_require(HS libhs libvectorscan-dev)
netra_require(CURL libcurl libcurl4-openssl-dev)
netra_require(ZMQ libzmq libzmq3-dev)
netra_require(SQLITE sqlite3 libsqlite3-dev)
if(NETRA_TESTS)
  netra_require(CHECK check check)
endif()
