# finally runs before an uncaught exception terminates the program.
def work():
    try:
        print("working")
        raise ValueError("work failed")
    finally:
        print("cleanup in finally")


work()
