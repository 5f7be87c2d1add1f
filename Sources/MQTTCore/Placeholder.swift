public enum MQTTCoreVersion { public static let name = "mqttcore" }
