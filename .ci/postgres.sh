# Sourced by .ci/run: install and start a local PostgreSQL from the distribution's packages,
# create a role and a test database, and export the URL the history store's tests use.
# RISKSCREEN_REQUIRE_PG=1 turns a skipped PostgreSQL test into a failure.
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql
fi
if ! pg_lsclusters -h | grep -q .; then
    $sudo pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main
fi
read -r pg_version pg_cluster pg_port pg_status _ <<<"$(pg_lsclusters -h | head -1)"
if [ "$pg_status" != "online" ]; then
    $sudo pg_ctlcluster "$pg_version" "$pg_cluster" start
fi
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
pg_role=$(as_postgres "psql -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'riskscreen'\"")
if [ "$pg_role" != "1" ]; then
    as_postgres "psql -p $pg_port -qc \"CREATE ROLE riskscreen LOGIN PASSWORD 'riskscreen' CREATEDB\""
fi
pg_db=$(as_postgres "psql -p $pg_port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'riskscreen_test'\"")
if [ "$pg_db" != "1" ]; then
    as_postgres "createdb -p $pg_port -O riskscreen riskscreen_test"
fi
export RISKSCREEN_TEST_PG_URL="postgresql://riskscreen:riskscreen@localhost:$pg_port/riskscreen_test"
export RISKSCREEN_REQUIRE_PG=1
