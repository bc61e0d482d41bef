# get_ident, current_thread, main_thread, names; idents are compared, never printed.
import threading

main_ident = threading.get_ident()
print(threading.current_thread() is threading.main_thread())
print(threading.main_thread().name, threading.current_thread().name)
print(isinstance(main_ident, int), main_ident == threading.main_thread().ident)
info = {}


def record(key):
    me = threading.current_thread()
    info[key] = (me.name, threading.get_ident() != main_ident, me.ident == threading.get_ident(),
                 me is not threading.main_thread(), threading.main_thread().name)


threads = [threading.Thread(target=record, args=(k,), name="named-%s" % k) for k in "abc"]
for t in threads:
    t.start()
for t in threads:
    t.join()
for key in sorted(info):
    print(key, info[key])
idents = {t.ident for t in threads}
print(all(isinstance(i, int) for i in idents), main_ident not in idents)
t = threading.Thread(target=lambda: None, name="later")
print(t.ident is None)
t.start()
t.join()
print(t.ident is not None, t.name)
t.name = "renamed"
print(t.name)
