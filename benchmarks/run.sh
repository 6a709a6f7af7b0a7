#!/usr/bin/env bash
# Builds the benchmarks module and runs the echo benchmark: servers pinned to CPU 0, the client to CPU 1.
# Usage: benchmarks/run.sh [--quick] [--rounds=N] [--warmup=S] [--measure=S] [--servers=a,b] [--scenarios=a,b]
#        [--server-jvm-option=OPTION] [--native-jdk=PATH] [--out=DIR]; see BenchmarkRunner and benchmarks/README.md
#        benchmarks/run.sh syscalls [--requests=N] ...; see SyscallCount
#        benchmarks/run.sh startup [--runs=N]; see StartupTime
# The summary goes to stdout and, with the raw samples and server logs, to benchmarks/results/<timestamp>/.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ "$(nproc --all)" -lt 2 ]; then
	echo "run.sh needs two CPUs: one for the servers, one for the client" >&2
	exit 1
fi

./mvnw -q -B -pl benchmarks -am package -DskipTests

# run.sh subprocess|sendfile [--rounds=N] [--mib=N]: in-process benchmarks of their own, unpinned (see
# "Subprocesses and sendfile" in benchmarks/README.md).
case "${1:-}" in
	subprocess | sendfile)
		main=$([ "$1" = subprocess ] && echo SubprocessThroughput || echo SendfileThroughput)
		shift
		exec java -Xms1g -Xmx1g -XX:+UseSerialGC -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
			"io.protoloop.bench.$main" "$@"
		;;
esac

# 10,000 idle connections need as many descriptors in the client and in each server.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
	echo "the idle-connection scenario needs 'ulimit -n' of at least 12000; the hard limit is $(ulimit -Hn)" >&2
	exit 1
fi

# run.sh syscalls [--requests=N] [--servers=a,b] [--tracer=perf|strace]: system calls per request of each backend
# (see "System calls per request" in benchmarks/README.md), pinned like the benchmark.
# run.sh startup [--runs=N]: the starter's share of start-up (see "Start-up" in benchmarks/README.md), each
# application started pinned to the server CPU.
main=BenchmarkRunner
case "${1:-}" in
	syscalls)
		main=SyscallCount
		shift
		;;
	startup)
		main=StartupTime
		shift
		;;
esac

exec taskset -c 1 java -Xms1g -Xmx1g -XX:+UseSerialGC \
	-cp "benchmarks/target/classes:benchmarks/target/lib/*" "io.protoloop.bench.$main" "$@"
