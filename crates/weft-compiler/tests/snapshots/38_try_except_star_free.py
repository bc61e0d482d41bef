try:
    risky()
except (KeyError, IndexError) as err:
    print(err)
finally:
    done()
