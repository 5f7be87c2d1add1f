"""`mqdash sub --decode` against a real `mqdash broker`: payloads built with Python's own msgpack, cbor2 and
protobuf libraries (and a Sparkplug B NBIRTH/NDATA pair from the schema, see PythonSupport/sparkplug.py)
come out as the JSON of the values that were encoded."""

from __future__ import annotations

import base64
import gzip
import json

import cbor2
import msgpack
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

import brokerhelpers as b
import mqhelpers as h
import sparkplug

pytestmark = pytest.mark.mqdash_only("--decode is mqdash's own")


@pytest.fixture
def mqdash_broker(request, tmp_path):
    yield from h.serve_during_test(request, b.anonymous_mqdash(tmp_path))


def start_sub(broker, count: int, *args) -> h.Proc:
    """`mqdash sub -d -v` with the rules; waits for its SUBACK (the -d trace) before anything is published."""
    sub = h.Proc([h.mqdash_binary(), "sub", "-p", broker.port, "-i", "decoding-sub", "-d", "-v", "-C", count, "-W", 20,
                  *args])
    sub.wait_for_text("received SUBACK", 10)
    return sub


def decoded_lines(result: h.Result) -> list[tuple[str, object]]:
    """(topic, decoded value) of each printed message, the -d trace left out."""
    out = []
    for line in result.lines:
        if line.startswith("Client ") or line.startswith("Subscribed"):
            continue
        topic, _, text = line.partition(" ")
        try:
            out.append((topic, json.loads(text)))
        except ValueError:
            out.append((topic, text))  # a payload its decoder could not read, printed as it came
    return out


def protobuf_reading() -> bytes:
    """A message of a made-up schema {1: int32 id, 2: string label, 3: nested {1: uint64 count}}."""
    file = descriptor_pb2.FileDescriptorProto(name="reading.proto", package="test", syntax="proto3")
    inner = file.message_type.add(name="Inner")
    inner.field.add(name="count", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_UINT64,
                    label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    reading = file.message_type.add(name="Reading")
    reading.field.add(name="id", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    reading.field.add(name="label", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    reading.field.add(name="inner", number=3, type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, type_name=".test.Inner")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("test.Reading"))
    message = cls(id=300, label="pump room")
    message.inner.count = 7
    return message.SerializeToString()


def test_python_encoded_payloads_decode_to_their_values(mqdash_broker):
    value = {"temp": 21.5, "ok": True, "tags": ["a", "b"], "n": -3, "big": 2**40, "raw": b"\x00\xff"}
    sent = [
        ("dec/mp", msgpack.packb(value, use_bin_type=True)),
        ("dec/cb", cbor2.dumps(value)),
        ("dec/pb", protobuf_reading()),
        ("dec/gz", base64.b64encode(gzip.compress(json.dumps({"k": [1, 2, 3]}).encode()))),
        ("dec/bad", b"\xc1"),
    ]
    sub = start_sub(mqdash_broker, len(sent), "-t", "dec/#", "--decode", "dec/mp=msgpack", "--decode", "dec/cb=cbor",
                    "--decode", "dec/pb=protobuf", "--decode", "dec/gz=base64 | gzip | json", "--decode", "dec/#=msgpack")
    pub = b.Paho(mqdash_broker, "decoding-pub")
    for topic, body in sent:
        pub.publish(topic, body, qos=1)
    result = sub.finish(15)
    assert result.rc == 0, result
    got = dict(decoded_lines(result)[:4])
    as_json = dict(value, raw="0x00ff")
    assert got["dec/mp"] == as_json and got["dec/cb"] == as_json, result
    assert got["dec/pb"] == {"1": 300, "2": "pump room", "3": {"1": 7}}, result
    assert got["dec/gz"] == {"k": [1, 2, 3]}, result
    # The undecodable one: printed as it came, the decoder's error on stderr.
    assert b"\ndec/bad \xc1\n" in result.out, result
    assert "Error: msgpack: byte 0xc1 at 0 is not a msgpack type (never used) (topic dec/bad)" in result.stderr, result


def test_sparkplug_birth_names_the_aliases_of_later_data(mqdash_broker):
    sub = start_sub(mqdash_broker, 2, "-t", "spBv1.0/#", "--decode", "other/#=json")
    pub = b.Paho(mqdash_broker, "edge-node")
    pub.publish("spBv1.0/plant/NBIRTH/edge1", sparkplug.nbirth(), qos=1)
    pub.publish("spBv1.0/plant/NDATA/edge1", sparkplug.ndata(22.25, seq=1), qos=1)
    result = sub.finish(15)
    assert result.rc == 0, result
    (birth_topic, birth), (data_topic, data) = decoded_lines(result)
    assert birth_topic == "spBv1.0/plant/NBIRTH/edge1" and birth["type"] == "NBIRTH", result
    assert birth["values"] == {"bdSeq": 1, "Temperature": 20.5, "Running": True, "Offset": -2}, result
    assert data["type"] == "NDATA" and data["seq"] == 1, result
    assert data["values"] == {"Temperature": 22.25, "Offset": -3}, result
    assert data["metrics"][0] == {"name": "Temperature", "alias": 1, "datatype": "Float", "value": 22.25}, result
