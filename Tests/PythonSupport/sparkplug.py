"""Sparkplug B payloads for the decoder tests, from the published schema (the Payload and Metric messages
of sparkplug_b.proto, the fields the tests use) built at run time with protobuf's descriptor API: no protoc
needed, and nothing here is shared with the Swift side's generated code."""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto

# Sparkplug B datatypes (specification 3.0, section 6.4.16) used by the tests.
INT8, INT32, INT64, UINT64, FLOAT, DOUBLE, BOOLEAN, STRING = 1, 3, 4, 8, 9, 10, 11, 12


def _field(message, name, number, kind, label=F.LABEL_OPTIONAL, type_name=None, oneof=None):
    field = message.field.add(name=name, number=number, type=kind, label=label)
    if type_name:
        field.type_name = type_name
    if oneof is not None:
        field.oneof_index = oneof


def _classes():
    file = descriptor_pb2.FileDescriptorProto(name="sparkplug_b_test.proto", package="org.eclipse.tahu.protobuf",
                                              syntax="proto2")
    payload = file.message_type.add(name="Payload")
    metric = payload.nested_type.add(name="Metric")
    _field(metric, "name", 1, F.TYPE_STRING)
    _field(metric, "alias", 2, F.TYPE_UINT64)
    _field(metric, "timestamp", 3, F.TYPE_UINT64)
    _field(metric, "datatype", 4, F.TYPE_UINT32)
    _field(metric, "is_null", 7, F.TYPE_BOOL)
    metric.oneof_decl.add(name="value")
    for name, number, kind in [("int_value", 10, F.TYPE_UINT32), ("long_value", 11, F.TYPE_UINT64),
                               ("float_value", 12, F.TYPE_FLOAT), ("double_value", 13, F.TYPE_DOUBLE),
                               ("boolean_value", 14, F.TYPE_BOOL), ("string_value", 15, F.TYPE_STRING),
                               ("bytes_value", 16, F.TYPE_BYTES)]:
        _field(metric, name, number, kind, oneof=0)
    _field(payload, "timestamp", 1, F.TYPE_UINT64)
    _field(payload, "metrics", 2, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".org.eclipse.tahu.protobuf.Payload.Metric")
    _field(payload, "seq", 3, F.TYPE_UINT64)
    _field(payload, "uuid", 4, F.TYPE_STRING)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("org.eclipse.tahu.protobuf.Payload"))


Payload = _classes()


def payload(metrics: list[dict], *, seq: int, timestamp: int = 1_700_000_000_000) -> bytes:
    """`metrics`: dicts of name/alias/datatype and one `*_value` key each."""
    message = Payload(timestamp=timestamp, seq=seq)
    for spec in metrics:
        message.metrics.add(**spec)
    return message.SerializeToString()


def nbirth(seq: int = 0) -> bytes:
    return payload([
        {"name": "bdSeq", "alias": 0, "datatype": UINT64, "long_value": 1},
        {"name": "Temperature", "alias": 1, "datatype": FLOAT, "float_value": 20.5},
        {"name": "Running", "alias": 2, "datatype": BOOLEAN, "boolean_value": True},
        {"name": "Offset", "alias": 3, "datatype": INT8, "int_value": 0xFE},
    ], seq=seq)


def ndata(temperature: float, seq: int) -> bytes:
    """Only aliases, as edge nodes send after their birth: names come from the NBIRTH."""
    return payload([{"alias": 1, "float_value": temperature}, {"alias": 3, "int_value": 0xFD}], seq=seq)
