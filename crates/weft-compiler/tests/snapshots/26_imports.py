import os
import os.path
import a.b.c as c
from collections import OrderedDict as OD, deque
from . import sibling
from ..pkg import thing
from mod import *
