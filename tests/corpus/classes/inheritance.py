# Single inheritance: overriding, extending with super(), attribute lookup.
class Animal:
    sound = "..."

    def __init__(self, name):
        self.name = name

    def speak(self):
        return "%s says %s" % (self.name, self.sound)

    def kind(self):
        return type(self).__name__


class Dog(Animal):
    sound = "woof"


class Puppy(Dog):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age

    def speak(self):
        return super().speak() + " (age %d)" % self.age


for a in [Animal("generic"), Dog("rex"), Puppy("bit", 1)]:
    print(a.speak(), "|", a.kind())
p = Puppy("tiny", 2)
print(isinstance(p, Animal), isinstance(p, Dog), isinstance(Dog("d"), Puppy))
print(issubclass(Puppy, Animal), issubclass(Animal, Puppy), issubclass(Dog, Dog))
print(Puppy.__mro__)
print(Puppy.__base__.__name__, Dog.__base__.__name__)
print(Dog.speak is Animal.speak, Puppy.speak is Animal.speak)
