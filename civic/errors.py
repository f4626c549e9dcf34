"""The application error: services raise it, the API maps it to the one error shape, pages to form errors."""


class ApplicationError(Exception):
    def __init__(self, message, *, code="invalid", fields=None, status=400):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status
