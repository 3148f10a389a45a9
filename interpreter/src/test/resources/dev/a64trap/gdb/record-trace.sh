#!/bin/sh
# Re-records the golden gdb-multiarch packet trace that GdbTraceReplayTest replays.
# Run from interpreter/ after `mvn -o test-compile`:
#   sh src/test/resources/dev/a64trap/gdb/record-trace.sh
set -eu
dir=src/test/resources/dev/a64trap/gdb
port=${PORT:-23457}
cp="target/classes:target/test-classes:$(find ~/.m2/repository/io/netty -name '*4.2.18*.jar' ! -name '*sources*' | tr '\n' ':')"
java -cp "$cp" dev.a64trap.gdb.FakeServerMain "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 2
sed "s/PORT/$port/" "$dir/session.gdb" > /tmp/a64trap-session.$$.gdb
gdb-multiarch -batch -ex 'set debug remote 1' -x /tmp/a64trap-session.$$.gdb \
    > "$dir/session.out" 2> /tmp/a64trap-session.$$.err
grep -E '\[remote\] (Sending packet|Packet received):' /tmp/a64trap-session.$$.err \
    | sed 's/^ *//' > "$dir/session.trace"
rm -f /tmp/a64trap-session.$$.gdb /tmp/a64trap-session.$$.err
gdb-multiarch --version | head -1 > "$dir/session.gdb-version"
