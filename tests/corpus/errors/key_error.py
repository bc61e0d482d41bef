# Looking up a missing dict key.
config = {"host": "localhost", "port": 8080}
print(config["host"], config["port"])
print(config.get("password", "no password set"))


def required(key):
    print("looking up", key)
    return config[key]


required("host")
print(required("password"))
