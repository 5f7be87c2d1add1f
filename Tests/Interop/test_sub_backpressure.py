"""`mqdash sub` whose stdout nobody reads: the messages it cannot print must wait in TCP and in the broker,
not in its memory (its queue stops at 10 000 messages or 16 MiB of payload), and once stdout is read, what it
took arrives whole."""

import os
import signal
import threading
import time

import pytest

import mqhelpers as h

pytestmark = pytest.mark.mqdash_only("the bound on what sub holds is mqdash's own")


def test_a_stdout_nobody_reads_holds_the_broker_back_instead_of_filling_memory(broker, mosq, tmp_path):
    out = tmp_path / "stdout.fifo"
    os.mkfifo(out)
    reader_fd = os.open(out, os.O_RDONLY | os.O_NONBLOCK)  # so that the shell's open does not wait
    mark = broker.mark()
    sub = h.Proc(["bash", "-c", f"exec {h.mqdash_binary()} sub {' '.join(broker.auth)} -i sub-stuck -q 0 "
                  f"-t 'flood/#' > {out}"])
    broker.wait_subscribed("sub-stuck", mark, proc=sub)
    baseline = h.vm_rss_kib(sub.p.pid)
    big = tmp_path / "payload.bin"
    big.write_bytes(b"z" * 100_000)
    assert mosq.run("pub", *broker.auth, "-t", "flood/x", "-f", big, "--repeat", "1000", timeout=60).rc == 0
    peak = baseline
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        peak = max(peak, h.vm_rss_kib(sub.p.pid))
        time.sleep(0.05)
    print(f"VmRSS of sub: {baseline} kB before the flood, peak {peak} kB while its stdout was not read")
    assert sub.running()
    assert peak - baseline < 60_000, f"sub grew by {peak - baseline} kB while nobody read its stdout"

    chunks: list[bytes] = []

    def drain():
        os.set_blocking(reader_fd, True)
        while data := os.read(reader_fd, 1 << 20):
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    # Printing resumes: wait for some whole lines, then stop it.
    h.wait_until(lambda: sum(c.count(b"\n") for c in chunks) >= 20, 20, "lines printed once stdout is read")
    sub.send_signal(signal.SIGINT)
    res = sub.finish(20)
    assert res.rc == 0, res
    reader.join(20)
    os.close(reader_fd)
    lines = b"".join(chunks).split(b"\n")
    complete = lines[:-1]
    assert len(complete) >= 20 and all(line == b"z" * 100_000 for line in complete), \
        sorted({len(line) for line in complete})
