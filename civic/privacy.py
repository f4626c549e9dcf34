"""Masking personal details for anything shown to the public or printed for a notice board."""


def mask_name(name):
    """张*明 style: keep the first character and, for names of three or more characters, the last; every
    character in between (or, for a two-character name, the second) becomes *.

    >>> mask_name("张明"), mask_name("张小明"), mask_name("欧阳娜娜")
    ('张*', '张*明', '欧**娜')
    """
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
