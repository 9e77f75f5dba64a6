app_name = "alis_agreements"

urlpatterns = []
