"""`mqdash sub` whose stdout nobody reads: the messages it cannot print must wait in TCP and in the broker,
not in its memory (its queue stops at 10 000 messages or 16 MiB of payload), and once stdout is read, what it
took arrives whole."""

import signal

import pytest

import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("the bound on what sub holds is mqdash's own")


def test_a_stdout_nobody_reads_holds_the_broker_back_instead_of_filling_memory(broker, mosq, tmp_path):
    out = tmp_path / "stdout.fifo"
    fifo = h.UnreadFifo(out)
    mark = broker.mark()
    sub = h.Proc(["bash", "-c", f"exec {h.mqdash_binary()} sub {' '.join(broker.auth)} -i sub-stuck -q 0 "
                  f"-t 'flood/#' > {out}"])
    broker.wait_subscribed("sub-stuck", mark, proc=sub)
    baseline, peak = h.vm_rss_under_flood(broker, mosq, tmp_path, sub.p.pid, "flood/x")
    print(f"VmRSS of sub: {baseline} kB before the flood, peak {peak} kB while its stdout was not read")
    assert sub.running()
    assert peak - baseline < 60_000, f"sub grew by {peak - baseline} kB while nobody read its stdout"

    # Printing resumes once stdout is read: wait for some whole lines, then stop it.
    fifo.drain()
    h.wait_until(lambda: fifo.lines_read() >= 20, 20, "lines printed once stdout is read")
    sub.send_signal(signal.SIGINT)
    res = sub.finish(20)
    assert res.rc == 0, res
    complete = fifo.close().split(b"\n")[:-1]
    assert len(complete) >= 20 and all(line == b"z" * 100_000 for line in complete), \
        sorted({len(line) for line in complete})
