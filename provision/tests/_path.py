"""Put provision/ (the ocprovision package) on sys.path."""
import os
import sys

PROVISION_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
if PROVISION_DIR not in sys.path:
    sys.path.insert(0, PROVISION_DIR)
