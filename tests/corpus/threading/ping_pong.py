# Two threads alternate strictly using a Condition and a shared turn variable.
import threading

cond = threading.Condition()
turn = {"who": "ping"}
out = []


def player(me, other, rounds):
    for i in range(rounds):
        with cond:
            cond.wait_for(lambda: turn["who"] == me)
            out.append("%s %d" % (me, i))
            turn["who"] = other
            cond.notify_all()


a = threading.Thread(target=player, args=("ping", "pong", 5))
b = threading.Thread(target=player, args=("pong", "ping", 5))
b.start()
a.start()
a.join()
b.join()
for line in out:
    print(line)
