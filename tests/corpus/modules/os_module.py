# os: getcwd, environ, os.path helpers.
import os
import os.path

cwd = os.getcwd()
print(type(cwd).__name__, cwd.startswith("/"))
print(os.path.basename(cwd), os.path.exists(cwd))
print("PATH" in os.environ, isinstance(os.environ["PATH"], str), os.environ.get("WEFT_SURELY_UNSET_VAR"))
print(os.environ.get("PYTHONHASHSEED"), os.environ.get("WEFT_SURELY_UNSET_VAR", "fallback"))
print(os.path.join("a", "b", "c.txt"), os.path.join("/root", "x"), os.path.join("a", "/abs"), os.path.join("a", ""))
print(os.path.dirname("/x/y/z.py"), os.path.basename("/x/y/z.py"), os.path.dirname("file"), repr(os.path.basename("/x/y/")))
print(os.path.exists("os_module.py"), os.path.exists("no_such_file_here.py"))
print(os.path.exists(os.path.join(cwd, "os_module.py")))
print(os.path.join(os.path.dirname(cwd), os.path.basename(cwd)) == cwd)
