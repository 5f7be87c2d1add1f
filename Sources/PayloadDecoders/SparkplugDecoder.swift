import Foundation
import SwiftProtobuf

typealias SparkplugPayload = Org_Eclipse_Tahu_Protobuf_Payload
typealias SparkplugMetric = Org_Eclipse_Tahu_Protobuf_Payload.Metric

/// Eclipse Sparkplug B payloads through the generated schema (Sparkplug/sparkplug_b.pb.swift):
/// `{"type", "timestamp", "seq", "metrics": [{"name", "alias", "timestamp", "datatype", "value"}], "values": {name: value}}`.
/// Metric names missing from a DATA message come from the aliases its edge node's births declared
/// (`DecodeContext.sparkplug`); a host's `STATE` message is JSON (Sparkplug 3.0) or text.
enum SparkplugDecoder {
    static func parse(_ bytes: [UInt8]) throws(DecodeFailure) -> SparkplugPayload {
        guard !bytes.isEmpty else { throw DecodeFailure("sparkplugb", "empty payload") }
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = DecodeLimits.standard.maximumDepth
        let payload: SparkplugPayload
        do {
            payload = try SparkplugPayload(serializedBytes: bytes, options: options)
        } catch {
            throw DecodeFailure("sparkplugb", "not a Sparkplug B payload (\(error))")
        }
        // Bytes that parse only into unknown fields are not Sparkplug (a JSON text can); say so rather than show {}.
        if !payload.hasTimestamp, payload.metrics.isEmpty, !payload.hasSeq, !payload.hasUuid, !payload.hasBody {
            throw DecodeFailure("sparkplugb", "not a Sparkplug B payload (no Sparkplug field in \(bytes.count) bytes)")
        }
        return payload
    }

    static func decode(_ bytes: [UInt8], context: DecodeContext) throws(DecodeFailure) -> DecodedValue {
        let topic = SparkplugTopic(context.topic)
        if topic?.messageType == "STATE" {
            if let json = try? JSONValueDecoder.decode(bytes, limits: .standard) { return json }
            return String(validating: bytes, as: UTF8.self).map(DecodedValue.string) ?? .bytes(bytes)
        }
        let payload = try parse(bytes)
        var members: [DecodedValue.Member] = []
        if let topic { members.append(.init("type", .string(topic.messageType))) }
        if payload.hasTimestamp { members.append(.init("timestamp", .unsigned(payload.timestamp))) }
        if payload.hasSeq { members.append(.init("seq", .unsigned(payload.seq))) }
        if payload.hasUuid { members.append(.init("uuid", .string(payload.uuid))) }
        var metrics: [DecodedValue] = []
        var values: [DecodedValue.Member] = []
        for metric in payload.metrics {
            let known = metric.hasAlias ? topic.flatMap { context.sparkplug?.entry(topic: $0, alias: metric.alias) } : nil
            let name = metric.hasName ? metric.name : known?.name
            let datatype = metric.hasDatatype ? metric.datatype : known?.datatype ?? 0
            let value = metricValue(metric, datatype: datatype, depth: 1)
            metrics.append(describe(metric, name: name, datatype: datatype, value: value, depth: 1))
            if let name { values.append(.init(name, value)) }
        }
        members.append(.init("metrics", .array(metrics)))
        if !values.isEmpty { members.append(.init("values", .object(values))) }
        if payload.hasBody { members.append(.init("body", .bytes(Array(payload.body)))) }
        return .object(members)
    }

    private static func describe(_ metric: SparkplugMetric, name: String?, datatype: UInt32, value: DecodedValue, depth: Int) -> DecodedValue {
        var members: [DecodedValue.Member] = []
        if let name { members.append(.init("name", .string(name))) }
        if metric.hasAlias { members.append(.init("alias", .unsigned(metric.alias))) }
        if metric.hasTimestamp { members.append(.init("timestamp", .unsigned(metric.timestamp))) }
        members.append(.init("datatype", .string(datatypeName(datatype))))
        if metric.isHistorical { members.append(.init("historical", .bool(true))) }
        if metric.isTransient { members.append(.init("transient", .bool(true))) }
        if metric.hasProperties { members.append(.init("properties", propertySet(metric.properties, depth: depth + 1))) }
        if metric.hasMetadata, metric.metadata.hasContentType || metric.metadata.hasFileName {
            var meta: [DecodedValue.Member] = []
            if metric.metadata.hasContentType { meta.append(.init("content_type", .string(metric.metadata.contentType))) }
            if metric.metadata.hasFileName { meta.append(.init("file_name", .string(metric.metadata.fileName))) }
            members.append(.init("metadata", .object(meta)))
        }
        members.append(.init("value", value))
        return .object(members)
    }

    /// The spec's names of the datatypes, by number (Sparkplug 3.0, section 6.4.16).
    static let datatypeNames = [
        "Unknown", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float", "Double",
        "Boolean", "String", "DateTime", "Text", "UUID", "DataSet", "Bytes", "File", "Template", "PropertySet",
        "PropertySetList", "Int8Array", "Int16Array", "Int32Array", "Int64Array", "UInt8Array", "UInt16Array",
        "UInt32Array", "UInt64Array", "FloatArray", "DoubleArray", "BooleanArray", "StringArray", "DateTimeArray",
    ]

    static func datatypeName(_ datatype: UInt32) -> String {
        datatype < datatypeNames.count ? datatypeNames[Int(datatype)] : "Unknown(\(datatype))"
    }

    /// A metric's value, read as its datatype says: signed types come as two's complement in the unsigned
    /// fields; the array types of Sparkplug 3.0 come packed little-endian in `bytes_value`.
    private static func metricValue(_ metric: SparkplugMetric, datatype: UInt32, depth: Int) -> DecodedValue {
        if metric.isNull { return .null }
        switch metric.value {
        case .intValue(let raw)?: return integer(UInt64(raw), datatype: datatype)
        case .longValue(let raw)?: return integer(raw, datatype: datatype)
        case .floatValue(let value)?: return .double(Double(value))
        case .doubleValue(let value)?: return .double(value)
        case .booleanValue(let value)?: return .bool(value)
        case .stringValue(let value)?: return .string(value)
        case .bytesValue(let data)?: return SparkplugArrays.decode(Array(data), datatype: datatype) ?? .bytes(Array(data))
        case .datasetValue(let set)?: return dataset(set)
        case .templateValue(let template)?: return self.template(template, depth: depth + 1)
        case .extensionValue?: return .string("(extension value)")
        case nil: return .null
        }
    }

    static func integer(_ raw: UInt64, datatype: UInt32) -> DecodedValue {
        switch datatype {
        case 1: .integer(Int64(Int8(truncatingIfNeeded: raw)))
        case 2: .integer(Int64(Int16(truncatingIfNeeded: raw)))
        case 3: .integer(Int64(Int32(truncatingIfNeeded: raw)))
        case 4: .integer(Int64(bitPattern: raw))
        default: raw <= UInt64(Int64.max) ? .integer(Int64(raw)) : .unsigned(raw)
        }
    }

    private static func dataset(_ set: SparkplugPayload.DataSet) -> DecodedValue {
        let rows: [DecodedValue] = set.rows.map { row in
            .array(row.elements.enumerated().map { column, element in
                let type = column < set.types.count ? set.types[column] : 0
                switch element.value {
                case .intValue(let raw)?: return integer(UInt64(raw), datatype: type)
                case .longValue(let raw)?: return integer(raw, datatype: type)
                case .floatValue(let value)?: return .double(Double(value))
                case .doubleValue(let value)?: return .double(value)
                case .booleanValue(let value)?: return .bool(value)
                case .stringValue(let value)?: return .string(value)
                case .extensionValue?, nil: return .null
                }
            })
        }
        return .object([
            .init("columns", .array(set.columns.map(DecodedValue.string))),
            .init("types", .array(set.types.map { .string(datatypeName($0)) })),
            .init("rows", .array(rows)),
        ])
    }

    private static func template(_ template: SparkplugPayload.Template, depth: Int) -> DecodedValue {
        var members: [DecodedValue.Member] = []
        if template.hasTemplateRef { members.append(.init("template_ref", .string(template.templateRef))) }
        if template.hasVersion { members.append(.init("version", .string(template.version))) }
        if template.hasIsDefinition { members.append(.init("is_definition", .bool(template.isDefinition))) }
        if !template.parameters.isEmpty {
            members.append(.init("parameters", .object(template.parameters.map { parameter in
                let value: DecodedValue = switch parameter.value {
                case .intValue(let raw)?: integer(UInt64(raw), datatype: parameter.type)
                case .longValue(let raw)?: integer(raw, datatype: parameter.type)
                case .floatValue(let value)?: .double(Double(value))
                case .doubleValue(let value)?: .double(value)
                case .booleanValue(let value)?: .bool(value)
                case .stringValue(let value)?: .string(value)
                case .extensionValue?, nil: .null
                }
                return .init(parameter.name, value)
            })))
        }
        // Template metrics nest (a template's metric may be a template); swift-protobuf's depth limit bounds it.
        members.append(.init("metrics", .array(template.metrics.map { metric in
            let value = metricValue(metric, datatype: metric.datatype, depth: depth)
            return describe(metric, name: metric.hasName ? metric.name : nil, datatype: metric.datatype, value: value, depth: depth)
        })))
        return .object(members)
    }

    private static func propertySet(_ set: SparkplugPayload.PropertySet, depth: Int) -> DecodedValue {
        .object(zip(set.keys, set.values).map { key, property in
            let value: DecodedValue
            if property.isNull {
                value = .null
            } else {
                switch property.value {
                case .intValue(let raw)?: value = integer(UInt64(raw), datatype: property.type)
                case .longValue(let raw)?: value = integer(raw, datatype: property.type)
                case .floatValue(let number)?: value = .double(Double(number))
                case .doubleValue(let number)?: value = .double(number)
                case .booleanValue(let flag)?: value = .bool(flag)
                case .stringValue(let text)?: value = .string(text)
                case .propertysetValue(let inner)?: value = propertySet(inner, depth: depth + 1)
                case .propertysetsValue(let list)?: value = .array(list.propertyset.map { propertySet($0, depth: depth + 1) })
                case .extensionValue?, nil: value = .null
                }
            }
            return .init(key, value)
        })
    }
}

extension SparkplugAliases {
    /// Learns the aliases of an NBIRTH or DBIRTH; any other message (or one that does not parse) is ignored.
    /// Call it for every message of a Sparkplug topic, before decoding the ones that follow.
    public mutating func observe(topic: String, payload: [UInt8]) {
        guard let parsed = SparkplugTopic(topic), parsed.isBirth, let payload = try? SparkplugDecoder.parse(payload) else { return }
        let aliases = payload.metrics.filter { $0.hasAlias && $0.hasName }
            .map { (alias: $0.alias, entry: Entry(name: $0.name, datatype: $0.datatype)) }
        record(topic: parsed, aliases: aliases)
    }
}
