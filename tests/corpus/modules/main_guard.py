# if __name__ == "__main__": runs for the script, not for imported modules.
import helper_shapes


def main():
    print("main() called; __name__ is", __name__)
    print("helper's __name__ is", helper_shapes.__name__)


if __name__ == "__main__":
    main()
else:
    print("imported, not run")
print("module level always runs")
