"""The install and release-archive tests.

test_install_layout.py installs the debug binary (MQDASH_BIN, default <repo>/.build/debug/mqdash) into a
scratch PREFIX with scripts/install-layout.sh, the script behind `make install`; quick, part of
`make test` through `make install-test`.  test_tarball.py unpacks MQDASH_DIST_TARBALL (`make dist`)
into an empty folder; slow to build from scratch, so only `make dist-test` runs it.  The time limit and
the reaping of processes come from Tests/conftest.py, the helpers from Tests/PythonSupport."""
