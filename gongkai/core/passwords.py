from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password must mix character classes: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码须至少包含小写字母、大写字母、数字、符号中的 %(n)d 类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 类。"
