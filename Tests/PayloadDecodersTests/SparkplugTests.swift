import Foundation
import XCTest
@testable import PayloadDecoders

final class SparkplugTests: XCTestCase {
    private func metric(_ name: String?, alias: UInt64, datatype: UInt32, _ set: (inout SparkplugMetric) -> Void) -> SparkplugMetric {
        var metric = SparkplugMetric()
        if let name { metric.name = name }
        metric.alias = alias
        metric.datatype = datatype
        set(&metric)
        return metric
    }

    private func birth() throws -> [UInt8] {
        var payload = SparkplugPayload()
        payload.timestamp = 1_700_000_000_000
        payload.seq = 0
        payload.metrics = [
            metric("bdSeq", alias: 0, datatype: 8) { $0.longValue = 3 },
            metric("Temperature", alias: 1, datatype: 9) { $0.floatValue = 21.5 },
            metric("Offset", alias: 2, datatype: 1) { $0.intValue = 0xFE },  // Int8 -2
        ]
        return try Array(payload.serializedBytes() as Data)
    }

    private func data(_ temperature: Float) throws -> [UInt8] {
        var payload = SparkplugPayload()
        payload.seq = 1
        payload.metrics = [metric(nil, alias: 1, datatype: 0) { $0.floatValue = temperature; $0.clearDatatype() },
                           metric(nil, alias: 2, datatype: 0) { $0.intValue = 0xFFFF_FFFD; $0.clearDatatype() }]
        return try Array(payload.serializedBytes() as Data)
    }

    func testBirthThenDataResolvesAliasesAndDatatypes() throws {
        var aliases = SparkplugAliases()
        let birthTopic = "spBv1.0/plant/NBIRTH/edge1"
        aliases.observe(topic: birthTopic, payload: try birth())
        let decodedBirth = try DecoderChain.single(.sparkplugb).decode(try birth(), context: DecodeContext(topic: birthTopic, sparkplug: aliases))
        XCTAssertEqual(decodedBirth["values"]?.jsonText, #"{"bdSeq":3,"Temperature":21.5,"Offset":-2}"#)
        XCTAssertEqual(decodedBirth["type"], .string("NBIRTH"))

        let value = try DecoderChain.single(.sparkplugb).decode(try data(22.25), context: DecodeContext(topic: "spBv1.0/plant/NDATA/edge1", sparkplug: aliases))
        XCTAssertEqual(value.jsonText, #"{"type":"NDATA","seq":1,"metrics":[{"name":"Temperature","alias":1,"datatype":"Float","value":22.25},"#
            + #"{"name":"Offset","alias":2,"datatype":"Int8","value":-3}],"values":{"Temperature":22.25,"Offset":-3}}"#)
        // Another edge node's aliases are its own: unresolved, the metric shows its alias only.
        let other = try DecoderChain.single(.sparkplugb).decode(try data(1), context: DecodeContext(topic: "spBv1.0/plant/NDATA/edge2", sparkplug: aliases))
        XCTAssertNil(other["values"])
        XCTAssertEqual(other["metrics"]?.jsonText, #"[{"alias":1,"datatype":"Unknown","value":1},{"alias":2,"datatype":"Unknown","value":4294967293}]"#)
    }

    func testDeviceBirthAddsToItsNodeAndNodeBirthStartsOver() throws {
        var aliases = SparkplugAliases()
        aliases.observe(topic: "spBv1.0/g/NBIRTH/n", payload: try birth())
        var device = SparkplugPayload()
        device.metrics = [metric("Pressure", alias: 7, datatype: 10) { $0.doubleValue = 1.5 }]
        aliases.observe(topic: "spBv1.0/g/DBIRTH/n/pump", payload: try Array(device.serializedBytes() as Data))
        let topic = SparkplugTopic("spBv1.0/g/DDATA/n/pump")!
        XCTAssertEqual(aliases.entry(topic: topic, alias: 7)?.name, "Pressure")
        XCTAssertEqual(aliases.entry(topic: topic, alias: 1)?.name, "Temperature")
        aliases.observe(topic: "spBv1.0/g/NBIRTH/n", payload: try birth())
        XCTAssertNil(aliases.entry(topic: topic, alias: 7))
    }

    func testAliasStateIsBounded() throws {
        var aliases = SparkplugAliases(maximumEdgeNodes: 2, maximumAliasesPerNode: 2)
        for node in ["a", "b", "c"] { aliases.observe(topic: "spBv1.0/g/NBIRTH/\(node)", payload: try birth()) }
        XCTAssertEqual(aliases.edgeNodeCount, 2)
        XCTAssertNil(aliases.entry(topic: SparkplugTopic("spBv1.0/g/NDATA/a")!, alias: 0))
        XCTAssertNil(aliases.entry(topic: SparkplugTopic("spBv1.0/g/NDATA/c")!, alias: 2), "third alias over the per-node limit")
        XCTAssertEqual(aliases.entry(topic: SparkplugTopic("spBv1.0/g/NDATA/c")!, alias: 1)?.name, "Temperature")
    }

    func testDatasetTemplateAndArrays() throws {
        var set = SparkplugPayload.DataSet()
        set.numOfColumns = 2
        set.columns = ["id", "label"]
        set.types = [3, 12]
        var row = SparkplugPayload.DataSet.Row()
        var id = SparkplugPayload.DataSet.DataSetValue()
        id.intValue = 0xFFFF_FFFF
        var label = SparkplugPayload.DataSet.DataSetValue()
        label.stringValue = "x"
        row.elements = [id, label]
        set.rows = [row]
        var template = SparkplugPayload.Template()
        template.templateRef = "Motor"
        template.metrics = [metric("rpm", alias: 0, datatype: 7) { $0.intValue = 1200; $0.clearAlias() }]
        var payload = SparkplugPayload()
        payload.metrics = [
            metric("table", alias: 0, datatype: 16) { $0.datasetValue = set; $0.clearAlias() },
            metric("motor", alias: 0, datatype: 19) { $0.templateValue = template; $0.clearAlias() },
            metric("levels", alias: 0, datatype: 23) { $0.bytesValue = Data([0xFF, 0xFF, 0x02, 0x00]); $0.clearAlias() },
            metric("flags", alias: 0, datatype: 32) { $0.bytesValue = Data([3, 0, 0, 0, 0b1010_0000]); $0.clearAlias() },
            metric("names", alias: 0, datatype: 33) { $0.bytesValue = Data("ab\u{0}c\u{0}".utf8); $0.clearAlias() },
            metric("gone", alias: 0, datatype: 9) { $0.isNull = true; $0.clearAlias() },
        ]
        let value = try DecoderChain.single(.sparkplugb).decode(try Array(payload.serializedBytes() as Data), context: DecodeContext(topic: "spBv1.0/g/DDATA/n/d"))
        XCTAssertEqual(value["values"]?.jsonText,
                       #"{"table":{"columns":["id","label"],"types":["Int32","String"],"rows":[[-1,"x"]]},"#
                       + #""motor":{"template_ref":"Motor","metrics":[{"name":"rpm","datatype":"UInt32","value":1200}]},"#
                       + #""levels":[-1,2],"flags":[true,false,true],"names":["ab","c"],"gone":null}"#)
    }

    func testNotSparkplugIsAnErrorNotAnEmptyObject() {
        XCTAssertThrowsError(try DecoderChain.single(.sparkplugb).decode(Array(#"{"a":1}"#.utf8))) { error in
            XCTAssertTrue("\(error)".hasPrefix("sparkplugb: not a Sparkplug B payload"), "\(error)")
        }
        XCTAssertThrowsError(try DecoderChain.single(.sparkplugb).decode([0x12, 0x05, 0x0A])) { error in
            XCTAssertTrue("\(error)".hasPrefix("sparkplugb: not a Sparkplug B payload ("), "\(error)")
        }
        XCTAssertEqual("\((try? DecoderChain.single(.sparkplugb).decode([])) as Any)", "nil")
    }

    func testStateMessageIsJSONOrText() throws {
        let state = try DecoderChain.single(.sparkplugb).decode(Array(#"{"online":true,"timestamp":1}"#.utf8), context: DecodeContext(topic: "spBv1.0/STATE/scada"))
        XCTAssertEqual(state["online"], .bool(true))
        XCTAssertEqual(try DecoderChain.single(.sparkplugb).decode(Array("ONLINE".utf8), context: DecodeContext(topic: "spBv1.0/STATE/scada")), .string("ONLINE"))
    }
}

extension SparkplugTests {
    /// The table of names follows the generated enum (the schema), one name per case.
    func testDatatypeNamesCoverTheSchema() {
        XCTAssertEqual(SparkplugDecoder.datatypeNames.count, Org_Eclipse_Tahu_Protobuf_DataType.allCases.count)
        for type in Org_Eclipse_Tahu_Protobuf_DataType.allCases {
            XCTAssertEqual(SparkplugDecoder.datatypeName(UInt32(type.rawValue)).lowercased(), "\(type)".lowercased())
        }
    }
}
