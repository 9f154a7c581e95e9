"""remedy_model: payment ranges and precedents for Ombudsman remedies.

The public surface is :mod:`remedy_model.api`; the command line is ``remedy``.
"""

__version__ = "0.2.1"
