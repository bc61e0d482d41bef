class Base:
    def greet(self):
        return "base"

class Child(Base, metaclass=Meta):
    """A child."""
    value = 1

    def greet(self):
        return super().greet() + "!"

    def __private(self):
        return self.__secret
