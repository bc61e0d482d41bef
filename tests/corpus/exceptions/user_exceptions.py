# User-defined exception classes and hierarchies with extra attributes.
class AppError(Exception):
    pass


class DatabaseError(AppError):
    def __init__(self, table, message):
        super().__init__(message)
        self.table = table


class NotFound(DatabaseError):
    pass


class Timeout(AppError):
    def __str__(self):
        return "timed out after %ss" % self.args[0]


def fail(kind):
    if kind == "nf":
        raise NotFound("users", "no user 7")
    if kind == "db":
        raise DatabaseError("orders", "locked")
    if kind == "to":
        raise Timeout(30)
    raise AppError("generic", 1)


for kind in ["nf", "db", "to", "other"]:
    try:
        fail(kind)
    except NotFound as e:
        print("NotFound:", e, e.table, e.args)
    except DatabaseError as e:
        print("DatabaseError:", e, e.table)
    except AppError as e:
        print("AppError:", type(e).__name__, str(e), e.args, repr(e))
print([k.__name__ for k in NotFound.__mro__])
print(issubclass(NotFound, AppError), isinstance(Timeout(1), Exception))
