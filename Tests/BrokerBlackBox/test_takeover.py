"""Session takeover: a second connection with the same client id replaces the first."""

import pytest

import brokerhelpers as b
from brokerhelpers import Paho, Raw, connected


def test_v311_takeover_closes_the_old_connection(broker):
    old = Raw(broker.port)
    assert old.connect("twin", clean=False)[0] == 0
    assert old.subscribe("take/t", 1) == [1]
    with connected(Paho(broker, "twin", clean=False)) as new:
        assert new.connack.session_present is True
        assert old.wait_closed(5) == []
        with connected(Paho(broker, "pub")) as pub:
            pub.publish("take/t", b"to the new one", qos=1)
        assert new.wait_messages(1)[0].payload == b"to the new one"


def test_v5_takeover_closes_the_old_connection(broker):
    old = Raw(broker.port, v5=True)
    assert old.connect("twin", props=[(b.SESSION_EXPIRY, 60)])[0] == 0
    with connected(Paho(broker, "twin", v5=True, clean=False, session_expiry=60)) as new:
        assert new.connack.session_present is True
        got = old.wait_closed(5)
        assert b.disconnect_reason(got) in (None, 0x8E), got


NO_8E = ("mosquitto 2.0.11 closes the old connection without sending it DISCONNECT 0x8E "
         "(seen: the socket just closes)")


@pytest.mark.only_mqdash(NO_8E)
def test_v5_takeover_sends_disconnect_session_taken_over(broker):
    old = Raw(broker.port, v5=True)
    assert old.connect("twin", props=[(b.SESSION_EXPIRY, 60)])[0] == 0
    with connected(Paho(broker, "twin", v5=True, clean=False, session_expiry=60)):
        got = old.wait_closed(5)
        assert b.disconnect_reason(got) == 0x8E, got


@pytest.mark.only_mqdash(NO_8E)
def test_takeover_is_reported_to_the_old_paho_client(broker):
    old = Paho(broker, "twin", v5=True)
    with connected(Paho(broker, "twin", v5=True)):
        assert old.wait_disconnected(5) == 0x8E
