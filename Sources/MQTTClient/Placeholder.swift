import MQTTCore
