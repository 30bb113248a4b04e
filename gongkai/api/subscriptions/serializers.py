from rest_framework import serializers


class Tag(serializers.Serializer):
    key = serializers.CharField(help_text="画像和文件使用的键，如 stage:就业、industry:H")
    label = serializers.CharField()
    source = serializers.CharField()


class Dimension(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()
    profile_kind = serializers.ChoiceField(choices=["person", "enterprise"])
    narrowing = serializers.BooleanField(help_text="文件标注了该维度时，只推送给画像中有相同值的订阅者")
    tags = Tag(many=True)


class Vocabulary(serializers.Serializer):
    dimensions = Dimension(many=True)
    profile_feed = serializers.CharField(help_text="无需账户的画像订阅源地址格式")


class Bounce(serializers.Serializer):
    email = serializers.EmailField()
    permanent = serializers.BooleanField(default=True, help_text="永久性退信（5xx）；临时性退信不计数")


class BounceResult(serializers.Serializer):
    recorded = serializers.BooleanField(help_text="总是 true：不透露该地址是否订阅")
