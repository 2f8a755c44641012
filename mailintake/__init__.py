"""mailintake: the email intake service of the Ombudsdienst of the city of Leuven."""

__version__ = "0.1.0"
