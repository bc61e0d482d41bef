class __Hidden:
    __slots = 1
    def __m(self, __arg):
        __local = __arg
        return self.__slots, __local
    def use(self):
        return lambda __p: __p + self.__m(1)
