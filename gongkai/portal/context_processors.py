from .preferences import elderly_mode


def portal(request):
    return {"elderly": elderly_mode(request)}
