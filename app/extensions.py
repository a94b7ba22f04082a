"""Flask extensions, created unbound and bound to the app in ``create_app``."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.core.models import Base

db = SQLAlchemy(model_class=Base)
# The base class of the models. ``db.Model`` is built at run time (Base with Flask-SQLAlchemy's
# mixins), which a type checker cannot follow as a base class: models subclass ``Model`` instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
mail = Mail()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
